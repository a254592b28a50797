// A run's events, live: EventSource on /events (id = seq, event = type). EventSource only delivers named
// events we listen for, so we listen for every engine type of every agent; a gap in seq (a custom event)
// is filled from the JSON list. Finished runs are read once as JSON.
import { api, ws } from './api.js';

const SUFFIXES = ['started', 'done', 'failed', 'waiting', 'decided', 'rejected', 'skipped', 'cancelled'];

export function followEvents(id, { live, agents, onState = () => {} }, onEvents) {
  let lastSeq = 0;
  let source = null;
  let closed = false;
  let sweep = 0;
  const known = new Set();

  async function fill() {
    try {
      const all = await api(ws('runs', id, 'events'));
      if (closed) return;
      accept(all.filter(e => e.seq > lastSeq));
    } catch {
      // The stream keeps going; the next gap or the end retries.
    }
  }

  function accept(events) {
    events = events.filter(e => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
    if (events.length === 0) return;
    lastSeq = events[events.length - 1].seq;
    onEvents(events);
    for (const e of events) listen(e.agent);
    if (events.some(e => e.type === 'run.finished')) close();
  }

  function listen(agent) {
    if (!source || !agent || known.has(agent)) return;
    known.add(agent);
    for (const suffix of SUFFIXES) source.addEventListener(`${agent}.${suffix}`, onMessage);
  }

  function onMessage(message) {
    const e = JSON.parse(message.data);
    if (e.seq <= lastSeq) return;
    if (e.seq > lastSeq + 1) fill();
    else accept([e]);
  }

  function close() {
    closed = true;
    clearInterval(sweep);
    source?.close();
    onState('finished');
  }

  if (!live) {
    fill();
  } else {
    source = new EventSource(ws('runs', id, 'events'));
    onState('connecting');
    source.addEventListener('open', () => onState('live'));
    source.addEventListener('error', () => { if (!closed) onState('reconnecting'); });
    // Listeners go on before the first message can arrive (same task), so nothing of a known type is missed.
    for (const type of ['run.started', 'run.finished', 'run.cancel', 'inbox.rejected']) source.addEventListener(type, onMessage);
    agents.forEach(listen);
    // A custom event with nothing after it would otherwise wait for the next engine event to be noticed.
    sweep = setInterval(fill, 5000);
  }
  return { close };
}
