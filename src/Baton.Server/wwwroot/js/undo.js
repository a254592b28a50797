// A decision waits a few seconds before it is sent, so a slip of the finger can be taken back.
// One decision waits at a time: deciding the next card sends the one before it at once.

export const UNDO_MS = 5000;

export class PendingDecision {
  #item = null;
  #timer = 0;
  #send;

  /** @param {(item: object, keepalive: boolean) => Promise<void>} send */
  constructor(send) { this.#send = send; }

  get item() { return this.#item; }

  /** Holds `item` for the undo window (sends the one held before now); `immediately` skips the window. */
  hold(item, immediately = false) {
    this.flush();
    if (immediately) return this.#send(item, false);
    this.#item = item;
    this.#timer = setTimeout(() => this.flush(), UNDO_MS);
    return Promise.resolve();
  }

  /** Takes the held decision back; returns it, or null when there was none (it was already sent). */
  undo() {
    const item = this.#item;
    clearTimeout(this.#timer);
    this.#item = null;
    return item;
  }

  /** Sends the held decision now (window closed, next decision, leaving the page). */
  flush(keepalive = false) {
    const item = this.undo();
    if (item) this.#send(item, keepalive);
  }
}
