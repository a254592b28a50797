// One event of a run's timeline: time, a dot coloured by what happened, the type and what it says.
import { h, time } from './dom.js';

const KNOWN = new Set(['started', 'done', 'failed', 'skipped', 'cancelled', 'waiting', 'decided', 'finished', 'cancel', 'rejected']);

export function eventItem(e) {
  const [agentPart, ...rest] = e.type.split('.');
  const kind = rest.length ? rest.join('.') : agentPart;
  // run.finished takes its run's status: red for a failed run, not the green of "finished".
  const tone = e.type === 'run.finished' ? `finished-${e.data?.status ?? 'succeeded'}` : kind;
  const detail = describe(e, kind);
  return h('li', { class: `event event-${tone}`, dataset: { seq: e.seq, type: e.type } },
    h('span', { class: 'event-time mono', title: e.time }, time(e.time)),
    h('span', { class: 'event-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'event-body' },
      h('span', { class: 'event-type' }, e.type),
      e.attempt > 1 ? h('span', { class: 'event-attempt' }, `attempt ${e.attempt}`) : null,
      detail ? h('span', { class: 'event-detail' }, detail) : null,
      custom(e, kind)));
}

function describe(e, kind) {
  const d = e.data ?? {};
  if (e.type === 'run.finished') return [d.status, d.reason].filter(Boolean).join(': ');
  if (kind === 'decided') return [d.decision, d.by ? `by ${d.by}` : '', d.comment ? `“${d.comment}”` : ''].filter(Boolean).join(' ');
  if (kind === 'failed') return [d.message ?? d.reason, d.retry ? `(retry in ${Math.round((d.retry_in_ms ?? 0) / 100) / 10} s)` : ''].filter(Boolean).join(' ');
  if (d.reason) return String(d.reason);
  if (d.error) return String(d.error);
  return '';
}

/** A custom event's data (what the script wrote), as text: key = value lines, folded when long. */
function custom(e, kind) {
  const d = e.data;
  if (KNOWN.has(kind) || e.type.startsWith('run.') || e.type.startsWith('inbox.') || !d || Object.keys(d).length === 0) return null;
  const text = Object.entries(d).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
  return text.length > 160 || text.includes('\n')
    ? h('details', { class: 'event-data' }, h('summary', {}, 'data'), h('pre', { class: 'event-data-text' }, text))
    : h('code', { class: 'event-data-text' }, text);
}
