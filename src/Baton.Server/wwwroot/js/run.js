// One run: its inputs, agents (status, timing, model and tokens, output and logs, live while running) and
// the live event timeline. Durations and "ago" tick every second while the run goes on.
import { h, mount, ago, duration, usd, badge, time, toast } from './dom.js';
import { api, ws, can } from './api.js';
import { followEvents } from './events.js';
import { eventItem } from './timeline.js';
import { agentPanel } from './run-agent.js';

const FINISHED = ['succeeded', 'failed', 'rejected', 'cancelled'];

export function runView(root, id) {
  const title = h('h1', { class: 'run-title' }, id);
  const status = h('span', { class: 'run-status' });
  const facts = h('dl', { class: 'facts' });
  const inputs = h('dl', { class: 'inputs' });
  const inputsBox = h('details', { class: 'inputs-box', hidden: true }, h('summary', {}, 'Inputs'), inputs);
  const reason = h('p', { class: 'reason', hidden: true });
  const cancel = h('button', { type: 'button', class: 'btn btn-danger', hidden: true, onclick: onCancel }, 'Cancel run');
  const agents = h('div', { class: 'agents' });
  const timeline = h('ol', { class: 'timeline' });
  const live = h('span', { class: 'live' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const panels = new Map();
  const failures = new Map(); // agent -> what its last failed event said (the API's `message`)
  let summary = null;
  let details = { inputs: {}, usage: {} };
  let confirmTimer = 0;

  mount(root, h('section', { class: 'page run-page' },
    h('a', { class: 'back', href: '#/runs' }, '← Runs'),
    h('div', { class: 'page-head' }, h('div', { class: 'run-heading' }, title, status), h('div', { class: 'page-tools' }, cancel)),
    reason, facts, inputsBox, problem,
    h('div', { class: 'run-columns' },
      h('section', { class: 'run-agents', 'aria-label': 'Agents' }, h('h2', {}, 'Agents'), agents),
      h('section', { class: 'run-events', 'aria-label': 'Events' }, h('h2', {}, 'Timeline ', live), timeline))));

  let stopped = false;
  let refreshTimer = 0;
  let stream = null;
  const ticker = setInterval(() => { if (summary && !FINISHED.includes(summary.status)) renderSummary(); }, 1000);

  async function refresh() {
    try {
      [summary, details] = await Promise.all([api(ws('runs', id)), api(ws('runs', id, 'details')).catch(() => details)]);
    } catch (e) {
      problem.textContent = e.message;
      problem.hidden = false;
      return;
    }
    if (stopped) return;
    problem.hidden = true;
    renderInputs();
    renderSummary();
  }

  function renderInputs() {
    const entries = Object.entries(details.inputs ?? {});
    inputsBox.hidden = entries.length === 0;
    inputsBox.open = entries.length > 0 && entries.length <= 6;
    mount(inputs, entries.map(([k, v]) => h('div', { class: 'input-pair' }, h('dt', { class: 'mono' }, k), h('dd', {}, v))));
  }

  function renderSummary() {
    const s = summary;
    title.textContent = s.chain ?? id;
    // A run that succeeded with failed warn checks is not green (docs/monitoring.md): amber, and says why.
    const shown = s.status === 'succeeded' && s.failed_checks > 0 ? 'checks-failed' : s.status;
    if (status.dataset.status !== shown) {
      status.dataset.status = shown;
      mount(status, shown === 'checks-failed' ? h('span', { class: 'badge badge-waiting' }, 'succeeded, checks failed') : badge(s.status));
    }
    mount(facts,
      fact('Run', h('span', { class: 'mono' }, s.id)),
      fact('Started', s.started ? `${time(s.started)} (${ago(s.started)})` : '—'),
      fact('Duration', duration(s.started, s.finished) || '—'),
      fact('Cost', h('span', { class: 'mono' }, usd(s.cost_usd))),
      s.quality_score == null ? null : fact('Quality', `${Math.round(s.quality_score * 100)} %` + (s.failed_checks ? ` (${s.failed_checks} failed)` : '')));
    reason.hidden = !s.reason;
    reason.textContent = s.reason ?? '';
    cancel.hidden = !can('editor') || FINISHED.includes(s.status);
    for (const [name, agent] of Object.entries(s.agents ?? {})) {
      let panel = panels.get(name);
      if (!panel) {
        panel = agentPanel(id, name);
        panels.set(name, panel);
        agents.append(panel.el);
      }
      panel.update(agent, s, failures.get(name), details.usage?.[name]);
    }
  }

  function onEvents(events) {
    for (const e of events) {
      timeline.append(eventItem(e));
      if (e.kind === 'failed') failures.set(e.agent, e.message);
    }
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
  return () => {
    stopped = true;
    stream?.close();
    clearTimeout(refreshTimer);
    clearTimeout(confirmTimer);
    clearInterval(ticker);
    for (const panel of panels.values()) panel.stop();
  };
}

const fact = (label, value) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
