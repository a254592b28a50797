// One event of a run's timeline: time, a dot coloured by what happened, the type and what it says. It reads the
// API's event shape (docs/events.md, "The API's event shape"): kind, tone and text come from the server's typed
// records; only a custom event's data — what a script wrote, whatever its keys — is shown as it is.
import { h, time } from './dom.js';

export function eventItem(e) {
  return h('li', { class: `event event-${e.tone}`, dataset: { seq: e.seq, type: e.type } },
    h('span', { class: 'event-time mono', title: e.time }, time(e.time)),
    h('span', { class: 'event-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'event-body' },
      h('span', { class: 'event-type' }, e.type),
      e.attempt > 1 && e.kind !== 'started' ? h('span', { class: 'event-attempt' }, `attempt ${e.attempt}`) : null,
      e.text && e.kind !== 'custom' ? h('span', { class: 'event-detail' }, e.text) : null,
      custom(e)));
}

/** A custom event's data (what the script wrote), as text: key = value lines, folded when long. */
function custom(e) {
  const d = e.data;
  if (e.kind !== 'custom' || !d || typeof d !== 'object' || Object.keys(d).length === 0) return null;
  const text = Object.entries(d).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
  return text.length > 160 || text.includes('\n')
    ? h('details', { class: 'event-data' }, h('summary', {}, 'data'), h('pre', { class: 'event-data-text' }, text))
    : h('code', { class: 'event-data-text' }, text);
}
