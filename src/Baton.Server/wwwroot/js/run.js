// One run: its agents (status, attempts, cost, lazily loaded output and logs) and the live event timeline.
import { h, mount, ago, duration, usd, badge, time, toast } from './dom.js';
import { api, ws, can } from './api.js';
import { followEvents } from './events.js';

const FINISHED = ['succeeded', 'failed', 'rejected', 'cancelled'];

export function runView(root, id) {
  const title = h('h1', { class: 'run-title' }, id);
  const status = h('span', { class: 'run-status' });
  const facts = h('dl', { class: 'facts' });
  const reason = h('p', { class: 'reason', hidden: true });
  const cancel = h('button', { type: 'button', class: 'btn btn-danger', hidden: true, onclick: onCancel }, 'Cancel run');
  const agents = h('div', { class: 'agents' });
  const timeline = h('ol', { class: 'timeline', 'aria-live': 'polite' });
  const live = h('span', { class: 'live' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const panels = new Map();
  let summary = null;
  let confirmTimer = 0;

  mount(root, h('section', { class: 'page run-page' },
    h('a', { class: 'back', href: '#/runs' }, '← Runs'),
    h('div', { class: 'page-head' }, h('div', { class: 'run-heading' }, title, status), h('div', { class: 'page-tools' }, cancel)),
    reason, facts, problem,
    h('div', { class: 'run-columns' },
      h('section', { class: 'run-agents', 'aria-label': 'Agents' }, h('h2', {}, 'Agents'), agents),
      h('section', { class: 'run-events', 'aria-label': 'Events' }, h('h2', {}, 'Timeline ', live), timeline))));

  let stopped = false;
  let refreshTimer = 0;
  let stream = null;

  async function refresh() {
    try {
      summary = await api(ws('runs', id));
    } catch (e) {
      problem.textContent = e.message;
      problem.hidden = false;
      return;
    }
    if (stopped) return;
    problem.hidden = true;
    renderSummary();
  }

  function renderSummary() {
    const s = summary;
    title.textContent = s.chain ?? id;
    mount(status, badge(s.status));
    mount(facts,
      fact('Run', h('span', { class: 'mono' }, s.id)),
      fact('Started', s.started ? `${time(s.started)} (${ago(s.started)})` : '—'),
      fact('Duration', duration(s.started, s.finished) || '—'),
      fact('Cost', h('span', { class: 'mono' }, usd(s.cost_usd))));
    reason.hidden = !s.reason;
    reason.textContent = s.reason ?? '';
    cancel.hidden = !can('editor') || FINISHED.includes(s.status);
    for (const [name, agent] of Object.entries(s.agents ?? {})) agentPanel(name).update(agent);
  }

  function agentPanel(name) {
    if (panels.has(name)) return panels.get(name);
    const state = h('span', { class: 'agent-state' });
    const meta = h('span', { class: 'agent-meta' });
    const why = h('p', { class: 'reason', hidden: true });
    const files = [['output', 'Output', ws('runs', id, 'agents', name, 'output')],
      ['stdout', 'stdout', ws('runs', id, 'agents', name, 'logs', 'stdout')],
      ['stderr', 'stderr', ws('runs', id, 'agents', name, 'logs', 'stderr')]].map(([key, label, url]) => lazyText(key, label, url));
    const el = h('article', { class: 'agent', dataset: { agent: name } },
      h('header', { class: 'agent-head' }, h('h3', {}, name), state, meta), why, files.map(f => f.el));
    agents.append(el);
    let last = '';
    const panel = {
      update(agent) {
        mount(state, badge(agent.status));
        mount(meta,
          h('span', { title: 'attempts' }, `${agent.attempts} attempt${agent.attempts === 1 ? '' : 's'}`),
          h('span', { class: 'mono', title: 'cost' }, usd(agent.cost_usd)),
          agent.started ? h('span', {}, duration(agent.started, agent.finished)) : null);
        why.hidden = !agent.reason;
        why.textContent = agent.reason ?? '';
        const key = `${agent.status}/${agent.attempts}`;
        if (key !== last) {
          last = key;
          for (const f of files) f.stale();
        }
      },
    };
    panels.set(name, panel);
    return panel;
  }

  function onEvents(events) {
    for (const e of events) timeline.append(eventItem(e));
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 120);
  }

  function onState(state) {
    live.dataset.state = state;
    live.textContent = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', finished: '' }[state];
  }

  async function onCancel() {
    if (cancel.dataset.confirm !== 'yes') {
      cancel.dataset.confirm = 'yes';
      cancel.textContent = 'Click again to cancel';
      clearTimeout(confirmTimer);
      confirmTimer = setTimeout(() => { cancel.dataset.confirm = ''; cancel.textContent = 'Cancel run'; }, 4000);
      return;
    }
    cancel.disabled = true;
    try {
      await api(ws('runs', id, 'cancel'), { method: 'POST' });
      toast('Cancelling…', 'info');
    } catch (e) {
      toast(e.message, 'error');
    }
    cancel.disabled = false;
    cancel.dataset.confirm = '';
    cancel.textContent = 'Cancel run';
  }

  refresh().then(() => {
    if (!stopped && summary) stream = followEvents(id, { live: !FINISHED.includes(summary.status), onState }, onEvents);
  });
  return () => { stopped = true; stream?.close(); clearTimeout(refreshTimer); clearTimeout(confirmTimer); };
}

const fact = (label, value) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));

/** A collapsed section whose text is fetched when first opened (and again when it went stale). */
function lazyText(key, label, url) {
  const pre = h('pre', { class: `text text-${key}`, tabindex: '0' });
  const reload = h('button', { type: 'button', class: 'btn btn-quiet btn-small', onclick: load }, 'Reload');
  const details = h('details', { class: `lazy lazy-${key}`, ontoggle: () => { if (details.open && !loaded) load(); } },
    h('summary', {}, label), h('div', { class: 'lazy-body' }, pre, reload));
  let loaded = false;
  async function load() {
    loaded = true;
    pre.classList.add('loading');
    try {
      const text = await api(url, { text: true });
      pre.textContent = text === '' ? '(empty)' : text; // untrusted: text only, never markup
      pre.classList.toggle('placeholder', text === '');
    } catch (e) {
      pre.textContent = e.status === 404 ? 'nothing yet' : e.message;
      pre.classList.add('placeholder');
    }
    pre.classList.remove('loading');
  }
  return {
    el: details,
    stale() {
      loaded = false;
      if (details.open) load();
    },
  };
}

function eventItem(e) {
  const [agentPart, ...rest] = e.type.split('.');
  const kind = rest.length ? rest.join('.') : agentPart;
  const detail = describe(e);
  return h('li', { class: `event event-${kind}`, dataset: { seq: e.seq, type: e.type } },
    h('span', { class: 'event-time mono', title: e.time }, time(e.time)),
    h('span', { class: 'event-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'event-body' },
      h('span', { class: 'event-type' }, e.type),
      e.attempt > 1 ? h('span', { class: 'event-attempt' }, `attempt ${e.attempt}`) : null,
      detail ? h('span', { class: 'event-detail' }, detail) : null));
}

function describe(e) {
  const d = e.data ?? {};
  if (e.type === 'run.finished') return d.status ?? '';
  if (e.type.endsWith('.decided')) return [d.decision, d.by ? `by ${d.by}` : '', d.comment ? `“${d.comment}”` : ''].filter(Boolean).join(' ');
  if (d.reason) return String(d.reason);
  if (d.error) return String(d.error);
  return '';
}
