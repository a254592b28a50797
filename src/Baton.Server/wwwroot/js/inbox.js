// The decision inbox: pending decisions as a stack of cards. Right = approve, left = reject,
// up = request changes (a comment is required). Drag, swipe, arrow keys, or the buttons.
// The top card stays until it is decided here (inbox-queue.js); a decision waits 5 s for an undo (undo.js).
import { h, mount, toast } from './dom.js';
import { api, ws, can, currentSession } from './api.js';
import { swipeable, settle, flyOut } from './swipe.js';
import { CardQueue, keyOf } from './inbox-queue.js';
import { PendingDecision, UNDO_MS } from './undo.js';
import { DIRECTION, ALL, allowedOf, cardElement, markScrollable, scrollCard, emptyInbox } from './inbox-card.js';

const DECISION = { right: 'approve', left: 'reject', up: 'changes' };
const KEYS = { ArrowRight: 'right', ArrowLeft: 'left', ArrowUp: 'up' };
const DONE = { approve: 'Approved', reject: 'Rejected', changes: 'Changes requested' };
const DEPTH = 3;        // cards drawn in the stack
const SETTLE_MS = 450;  // input is ignored this long after a new card comes up on top

/** @param {string} [wanted] a run id: its card goes on top when the inbox opens (a link from the run page) */
export function inboxView(root, wanted) {
  const stack = h('div', { class: 'stack' });
  const counter = h('span', { class: 'inbox-counter' });
  const fresh = h('span', { class: 'inbox-new', hidden: true });
  const announcer = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const buttons = Object.fromEntries(ALL.map(d => [d, h('button', {
    type: 'button', class: `btn decide decide-${d}`, dataset: { decision: d },
    title: 'Shift+click sends at once (no undo)', onclick: e => act(DIRECTION[d], e.shiftKey),
  }, h('span', { class: 'decide-key', 'aria-hidden': 'true' }, { approve: '→', reject: '←', changes: '↑' }[d]),
  h('span', {}, { approve: 'Approve', reject: 'Reject', changes: 'Changes' }[d]))]));
  const actions = h('div', { class: 'decide-bar', role: 'group', 'aria-label': 'Decide on the top card' },
    buttons.reject, buttons.changes, buttons.approve);
  const undoText = h('span', { class: 'undo-text' });
  const undoBar = h('div', { class: 'undo-bar', hidden: true },
    undoText, h('button', { type: 'button', class: 'btn btn-small undo-button', onclick: undo }, 'Undo'),
    h('span', { class: 'undo-clock', 'aria-hidden': 'true' }));
  const comment = h('textarea', {
    id: 'comment', rows: 4, required: true, maxlength: 20000,
    placeholder: 'What should change? The agent re-runs with this as its feedback.',
  });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, 'Send changes');
  const sheet = h('form', { class: 'sheet', hidden: true, 'aria-label': 'Request changes', onsubmit: onSend },
    h('label', { for: 'comment', class: 'sheet-title' }, 'Request changes'),
    comment,
    h('div', { class: 'sheet-actions' },
      h('span', { class: 'hint' }, 'Ctrl+Enter sends · Esc cancels'),
      h('button', { type: 'button', class: 'btn btn-quiet', onclick: closeSheet }, 'Cancel'),
      send));
  const readOnly = !can('reviewer');
  const section = h('section', { class: 'inbox' },
    h('div', { class: 'inbox-head' }, h('h1', {}, 'Inbox'), h('span', { class: 'inbox-status' }, fresh, counter)),
    problem,
    h('div', { class: 'stack-area' }, stack, undoBar),
    sheet,
    announcer,
    readOnly
      ? h('p', { class: 'hint center' }, `Your role (${currentSession().role}) can look but not decide.`)
      : [actions, h('p', { class: 'hint center keys-hint' }, 'Drag the card or use ← reject · ↑ changes · → approve · Ctrl+Z undo')]);
  mount(root, section);

  const queue = new CardQueue();
  const pending = new PendingDecision(post);
  let top = null; // { card, el, detach, ready }
  let elements = new Map(); // key -> card element, top first
  let busy = false; // a card is leaving or the comment sheet is open
  let stopped = false;
  let timer = 0;
  let readyTimer = 0;

  comment.addEventListener('input', () => { send.disabled = comment.value.trim() === ''; });
  comment.addEventListener('keydown', e => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !send.disabled) { e.preventDefault(); submitSheet(e.shiftKey); }
    if (e.key === 'Escape') { e.preventDefault(); closeSheet(); }
  });
  document.addEventListener('keydown', onKey);
  const onLeave = () => pending.flush(true);
  window.addEventListener('pagehide', onLeave);

  async function refresh() {
    clearTimeout(timer);
    try {
      const cards = await api(ws('decisions'));
      if (stopped) return;
      problem.hidden = true;
      if (wanted && queue.top === null) {
        // Opened from a run's link: that run's card first (once).
        cards.sort((a, b) => (b.run === wanted) - (a.run === wanted));
        wanted = null;
      }
      queue.merge(cards);
      render();
    } catch (e) {
      if (stopped) return;
      problem.textContent = e.message;
      problem.hidden = false;
    }
    if (!stopped) timer = setTimeout(refresh, 3000);
  }

  /** Redraws the stack, reusing card elements (so a drag in progress survives and depth changes animate). */
  function render() {
    const total = queue.cards.length;
    counter.textContent = total ? `${total} waiting` : '';
    fresh.hidden = queue.fresh.size === 0;
    fresh.textContent = `${queue.fresh.size} new`;
    if (busy) return;
    if (total === 0) {
      top?.detach();
      top = null;
      elements.clear();
      mount(stack, emptyInbox());
      setButtons(null);
      return;
    }
    const shown = queue.cards.slice(0, DEPTH);
    const next = new Map();
    shown.forEach((card, depth) => {
      const el = elements.get(keyOf(card)) ?? cardElement(card);
      el.querySelector('.card-position').textContent = `${depth + 1} of ${total}`;
      el.dataset.depth = String(depth);
      el.inert = depth > 0;
      el.tabIndex = depth === 0 ? 0 : -1;
      next.set(keyOf(card), el);
    });
    elements = next;
    const topChanged = !top || keyOf(top.card) !== keyOf(shown[0]);
    if (topChanged) bringUp(shown[0], elements.get(keyOf(shown[0])));
    top.el.querySelector('.card-gone').hidden = !queue.topGone;
    // Move only what must move: taking the top card out of the document mid-drag would lose its pointer capture.
    const order = [...elements.values()].reverse();
    for (const child of [...stack.children]) if (!order.includes(child)) child.remove();
    order.forEach((el, i) => { if (stack.children[i] !== el) stack.insertBefore(el, stack.children[i] ?? null); });
    if (topChanged) {
      markScrollable(top.el);
      if (focusIsOurs()) top.el.focus({ preventScroll: true });
    }
    setButtons(shown[0]);
  }

  /** A new card on top: gestures attach, and input waits a moment so a press meant for the last card does not land on it. */
  function bringUp(card, el) {
    top?.detach();
    top = { card, el, ready: false, detach: readOnly ? () => {} : swipeable(el, { allowed: allowedOf(card), onCommit: d => act(d) }) };
    delete el.dataset.ready;
    clearTimeout(readyTimer);
    const current = top;
    readyTimer = setTimeout(() => { current.ready = true; el.dataset.ready = ''; }, SETTLE_MS);
  }

  /** Focus follows the top card unless the reader is somewhere else (a text field, the top bar). */
  function focusIsOurs() {
    const active = document.activeElement;
    return !active || active === document.body || active === root || (section.contains(active) && !active.closest('textarea'))
      || !active.isConnected;
  }

  function setButtons(card) {
    const allowed = card ? allowedOf(card) : new Set();
    for (const d of ALL) buttons[d].disabled = readOnly || busy || !allowed.has(DIRECTION[d]);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey) return;
    if (e.target.closest?.('input, textarea, select, [contenteditable]')) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && pending.item) {
      e.preventDefault();
      undo();
      return;
    }
    if (e.ctrlKey || e.metaKey || !top || busy) return;
    if (scrollCard(top.el, e.key)) {
      e.preventDefault();
      return;
    }
    const direction = KEYS[e.key];
    if (!direction || readOnly) return;
    e.preventDefault();
    act(direction, e.shiftKey);
  }

  /** Right, left or up on the top card, from a gesture, a key or a button; `now` skips the undo window. */
  function act(direction, now = false) {
    if (!top || busy || readOnly) return;
    const { card, el } = top;
    if (!top.ready) {
      settle(el);
      return;
    }
    if (!allowedOf(card).has(direction)) {
      toast(`This decision does not offer “${DECISION[direction]}”.`, 'warn');
      settle(el);
      return;
    }
    if (direction === 'up') {
      openSheet(el);
      return;
    }
    decide(direction, '', now);
  }

  async function decide(direction, text, now) {
    const { el, detach } = top;
    const decision = DECISION[direction];
    busy = true;
    setButtons(null);
    detach();
    const card = queue.takeTop();
    el.dataset.depth = 'leaving';
    delete el.dataset.ready;
    const leaving = flyOut(el, direction);
    const held = pending.hold({ card, decision, comment: text }, now);
    showUndo(now ? null : { card, decision });
    const next = queue.top;
    announce(`${DONE[decision]}: ${card.chain} / ${card.agent}.${now ? '' : ' Undo within 5 seconds.'}`
      + (next ? ` Next: ${next.chain} / ${next.agent}.` : ' Nothing else waits.'));
    await leaving;
    elements.delete(keyOf(card)); // flown away: if it comes back (undo), it is drawn afresh
    top = null;
    busy = false;
    render();
    await held;
  }

  /** Sends a decision (when its undo window closes, or at once); the answer comes as a toast. */
  async function post({ card, decision, comment: text }, keepalive) {
    if (pending.item === null) showUndo(null);
    try {
      // A promotion's card is answered on the promotion; a run's on its decision agent.
      const path = card.kind === 'promotion'
        ? ws('chains', card.chain, 'promotions', card.run, 'decisions')
        : ws('runs', card.run, 'decisions', card.agent);
      await api(path, { method: 'POST', keepalive, body: { decision, comment: text, shown_hash: card.shown_hash } });
      toast(`${DONE[decision]} · ${card.chain} / ${card.agent}`, decision === 'reject' ? 'warn' : 'ok');
    } catch (e) {
      if (card.kind === 'promotion' && (e.status === 403 || e.status === 409)) {
        // Not someone else's decision: the author may not approve, failing tests need an owner's override (chain page).
        toast(`Not approved: ${e.message}`, 'error');
      } else if (e.status === 409) {
        toast(`Already decided by someone else — moving on.`, 'warn');
      } else if (stopped) {
        toast(`Not sent: ${card.chain} / ${card.agent}: ${e.message}`, 'error');
      } else {
        // Not decided: the card comes back, behind the one being read.
        queue.requeue(card);
        render();
        toast(`Not sent: ${e.message}. The card is back in the stack.`, 'error');
        announce(`Not sent: ${card.chain} / ${card.agent} is back in the stack.`);
      }
    }
    window.dispatchEvent(new CustomEvent('baton:inbox-changed'));
    if (!stopped) refresh();
  }

  function showUndo(item) {
    undoBar.hidden = item === null;
    if (!item) return;
    undoText.textContent = `${DONE[item.decision]} · ${item.card.chain} / ${item.card.agent}`;
    // Restart the countdown bar's animation.
    undoBar.classList.remove('counting');
    void undoBar.offsetWidth;
    undoBar.style.setProperty('--undo-ms', `${UNDO_MS}ms`);
    undoBar.classList.add('counting');
  }

  function undo() {
    const item = pending.undo();
    if (!item) return; // already sent
    showUndo(null);
    queue.restoreTop(item.card);
    announce(`Undone: ${item.card.chain} / ${item.card.agent} is back on top.`);
    if (!busy) render(); // else the card is still flying out, and comes back when it lands
  }

  function announce(text) {
    announcer.textContent = text;
  }

  function openSheet(el) {
    busy = true;
    setButtons(null);
    el.classList.remove('dragging');
    el.classList.add('lifted');
    el.style.transform = '';
    el.dataset.hint = 'up';
    el.style.setProperty('--progress', '1');
    sheet.hidden = false;
    comment.value = '';
    send.disabled = true;
    comment.focus();
  }

  function closeSheet() {
    sheet.hidden = true;
    busy = false;
    if (top) {
      top.el.classList.remove('lifted');
      settle(top.el);
      top.el.focus({ preventScroll: true });
    }
    render();
  }

  let shiftClicked = false; // Shift+click on "Send changes" sends at once, as on the decide buttons
  send.addEventListener('click', e => { shiftClicked = e.shiftKey; });
  function onSend(e) {
    e.preventDefault();
    submitSheet(shiftClicked);
    shiftClicked = false;
  }

  function submitSheet(now) {
    const text = comment.value.trim();
    if (!text || !top) return;
    sheet.hidden = true;
    top.el.classList.remove('lifted');
    busy = false;
    top.el.focus({ preventScroll: true });
    decide('up', text, now);
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(readyTimer);
    pending.flush();
    top?.detach();
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('pagehide', onLeave);
  };
}
