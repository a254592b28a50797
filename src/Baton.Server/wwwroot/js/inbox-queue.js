// The order of the inbox's cards. The server lists pending decisions in its own order (by run), and a
// re-drafted card comes back with a new round; if the list were shown as the server sends it, a card
// could change under the reader's finger. So the card on top stays until it is decided here, the
// others keep their places, and new or returning cards queue behind them.

export const keyOf = card => `${card.run}/${card.agent}/${card.round}/${card.shown_hash}`;

export class CardQueue {
  cards = [];
  /** Keys decided here (pending undo or sent); the server may list them for a moment more. */
  decided = new Set();
  /** Keys that arrived since the current top card came up: the "N new" note. */
  fresh = new Set();
  /** The top card is no longer on the server's list (decided elsewhere, or its run ended). */
  topGone = false;

  get top() { return this.cards[0] ?? null; }

  /** Takes the server's list; returns true when a top card came up (only when there was none: the top stays). */
  merge(serverCards) {
    const listed = serverCards.filter(c => !this.decided.has(keyOf(c)));
    const byKey = new Map(listed.map(c => [keyOf(c), c]));
    const before = this.top;
    const kept = this.cards.filter((c, i) => byKey.has(keyOf(c)) || (i === 0 && before !== null));
    const known = new Set(this.cards.map(keyOf));
    const added = listed.filter(c => !known.has(keyOf(c)));
    if (before !== null) for (const c of added) this.fresh.add(keyOf(c));
    this.cards = [...kept.map(c => byKey.get(keyOf(c)) ?? c), ...added];
    for (const key of this.fresh) if (!byKey.has(key)) this.fresh.delete(key);
    this.topGone = before !== null && !byKey.has(keyOf(before));
    return before === null && this.top !== null;
  }

  /** The top card was decided here: the next one comes up. */
  takeTop() {
    const card = this.cards.shift() ?? null;
    if (card) this.decided.add(keyOf(card));
    this.fresh.clear();
    this.topGone = false;
    return card;
  }

  /** Undo: the card goes back on top, as the reader asked. */
  restoreTop(card) {
    this.decided.delete(keyOf(card));
    this.cards = [card, ...this.cards.filter(c => keyOf(c) !== keyOf(card))];
    this.fresh.clear();
    this.topGone = false;
  }

  /** A decision the server did not take: the card comes back, behind the one being read (on top only if there is none). */
  requeue(card) {
    this.decided.delete(keyOf(card));
    const rest = this.cards.filter(c => keyOf(c) !== keyOf(card));
    this.cards = rest.length ? [rest[0], card, ...rest.slice(1)] : [card];
    if (rest.length) this.fresh.add(keyOf(card));
  }
}
