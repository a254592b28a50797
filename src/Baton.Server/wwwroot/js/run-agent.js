// One agent on the run page: status, attempts, timing bar, model and tokens, its real failure message,
// a link to its card while it waits, and its output and logs (live while it runs).
import { h, mount, duration, usd, badge } from './dom.js';
import { ws } from './api.js';
import { logView } from './log-view.js';

export function agentPanel(runId, name) {
  const state = h('span', { class: 'agent-state' });
  const meta = h('span', { class: 'agent-meta' });
  const bar = h('span', { class: 'timing-bar' });
  const timing = h('div', { class: 'timing', 'aria-hidden': 'true' }, bar);
  const usage = h('p', { class: 'agent-usage', hidden: true });
  const why = h('p', { class: 'reason', hidden: true });
  const card = h('a', { class: 'btn btn-small btn-secondary card-link', href: `#/inbox/${encodeURIComponent(runId)}`, hidden: true }, 'Open its card in the inbox →');
  const logs = [
    logView('output', 'Output', ws('runs', runId, 'agents', name, 'output')),
    logView('stdout', 'stdout', ws('runs', runId, 'agents', name, 'logs', 'stdout')),
    logView('stderr', 'stderr', ws('runs', runId, 'agents', name, 'logs', 'stderr')),
  ];
  const el = h('article', { class: 'agent', dataset: { agent: name } },
    h('header', { class: 'agent-head' }, h('h3', {}, name), state, meta), timing, usage, why, card, logs.map(l => l.el));
  let last = '';

  return {
    el,
    /** @param agent the summary's agent; run: { started, finished }; failure: its last failed event's message (the API's event shape) */
    update(agent, run, failure, use) {
      const running = agent.status === 'running';
      el.dataset.status = agent.status;
      mount(state, badge(agent.status));
      mount(meta,
        h('span', { title: 'attempts' }, `${agent.attempts} attempt${agent.attempts === 1 ? '' : 's'}`),
        h('span', { class: 'mono', title: 'cost' }, usd(agent.cost_usd)),
        agent.started ? h('span', { class: 'agent-duration' }, duration(agent.started, agent.finished)) : null);
      placeBar(bar, agent, run);
      usage.hidden = !use;
      if (use) usage.textContent = `${use.models.join(', ')} · ${use.calls} call${use.calls === 1 ? '' : 's'} · ${use.input_tokens.toLocaleString()} in / ${use.output_tokens.toLocaleString()} out tokens`;
      // The failed event's message says what happened ("exited with code 3"); the summary's reason is only its kind.
      const reason = agent.status === 'failed' && failure ? failure : agent.reason;
      why.hidden = !reason;
      why.textContent = reason ?? '';
      card.hidden = agent.status !== 'waiting';
      const key = `${agent.status}/${agent.attempts}`;
      const changed = key !== last;
      last = key;
      for (const log of logs) log.update(running, changed);
    },
    stop() { for (const log of logs) log.stop(); },
  };
}

/** The agent's span within the run's, as a bar: where it started and how long it took. */
function placeBar(bar, agent, run) {
  const start = Date.parse(run.started ?? '');
  const end = run.finished ? Date.parse(run.finished) : Date.now();
  const from = Date.parse(agent.started ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(from) || end <= start) { bar.hidden = true; return; }
  const to = agent.finished ? Date.parse(agent.finished) : end;
  bar.hidden = false;
  bar.className = `timing-bar timing-${agent.status}`;
  bar.style.left = `${Math.max(0, (from - start) / (end - start)) * 100}%`;
  bar.style.width = `${Math.max(0.5, ((to - from) / (end - start)) * 100)}%`;
}
