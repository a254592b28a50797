// A run's events, live: EventSource on /events (id = seq; each event's JSON is a plain message). A gap in
// seq (missed while reconnecting) is filled from the JSON list. Finished runs are read once as JSON.
import { api, ws } from './api.js';

export function followEvents(id, { live, onState = () => {} }, onEvents) {
  let lastSeq = 0;
  let source = null;
  let closed = false;

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
    if (events.some(e => e.type === 'run.finished')) close();
  }

  function onMessage(message) {
    const e = JSON.parse(message.data);
    if (e.seq <= lastSeq) return;
    if (e.seq > lastSeq + 1) fill();
    else accept([e]);
  }

  function close() {
    closed = true;
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
    source.addEventListener('message', onMessage);
  }
  return { close };
}
