// The decision inbox: pending decisions as a stack of cards. Right = approve, left = reject,
// up = request changes (a comment is required). Drag, swipe, arrow keys, or the buttons.
import { h, mount, ago, toast } from './dom.js';
import { api, ws, can, currentSession } from './api.js';
import { swipeable, settle, flyOut } from './swipe.js';
import { lineDiff, renderDiff } from './diff.js';

const DECISION = { right: 'approve', left: 'reject', up: 'changes' };
const DIRECTION = { approve: 'right', reject: 'left', changes: 'up' };
const KEYS = { ArrowRight: 'right', ArrowLeft: 'left', ArrowUp: 'up' };
const ALL = ['approve', 'reject', 'changes'];
const DEPTH = 3; // cards drawn in the stack

const keyOf = card => `${card.run}/${card.agent}/${card.round}/${card.shown_hash}`;

export function inboxView(root) {
  const stack = h('div', { class: 'stack', 'aria-live': 'polite' });
  const counter = h('span', { class: 'inbox-counter' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const buttons = Object.fromEntries(ALL.map(d => [d, h('button', {
    type: 'button', class: `btn decide decide-${d}`, dataset: { decision: d }, onclick: () => act(DIRECTION[d]),
  }, h('span', { class: 'decide-key', 'aria-hidden': 'true' }, { approve: '→', reject: '←', changes: '↑' }[d]),
  h('span', {}, { approve: 'Approve', reject: 'Reject', changes: 'Changes' }[d]))]));
  const actions = h('div', { class: 'decide-bar', role: 'group', 'aria-label': 'Decide on the top card' },
    buttons.reject, buttons.changes, buttons.approve);
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

  mount(root, h('section', { class: 'inbox' },
    h('div', { class: 'inbox-head' }, h('h1', {}, 'Inbox'), counter),
    problem,
    stack,
    sheet,
    readOnly
      ? h('p', { class: 'hint center' }, `Your role (${currentSession().role}) can look but not decide.`)
      : [actions, h('p', { class: 'hint center keys-hint' }, 'Drag the card or use ← reject · ↑ changes · → approve')]));

  let queue = [];
  const gone = new Set(); // decided here; the server may still list them for a moment
  let top = null; // { card, el, detach }
  let elements = new Map(); // key -> card element, top first
  let busy = false; // a card is leaving or the comment sheet is open
  let stopped = false;
  let timer = 0;

  comment.addEventListener('input', () => { send.disabled = comment.value.trim() === ''; });
  comment.addEventListener('keydown', e => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !send.disabled) { e.preventDefault(); sheet.requestSubmit(); }
    if (e.key === 'Escape') { e.preventDefault(); closeSheet(); }
  });
  document.addEventListener('keydown', onKey);

  async function refresh() {
    clearTimeout(timer);
    try {
      const cards = await api(ws('decisions'));
      if (stopped) return;
      problem.hidden = true;
      queue = cards.filter(c => !gone.has(keyOf(c)));
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
    counter.textContent = queue.length ? `${queue.length} waiting` : '';
    if (busy) return;
    if (queue.length === 0) {
      top?.detach();
      top = null;
      elements.clear();
      mount(stack, empty());
      setButtons(null);
      return;
    }
    const shown = queue.slice(0, DEPTH);
    const next = new Map();
    shown.forEach((card, depth) => {
      const el = elements.get(keyOf(card)) ?? cardElement(card);
      el.querySelector('.card-position').textContent = `${depth + 1} of ${queue.length}`;
      el.dataset.depth = String(depth);
      el.inert = depth > 0;
      el.tabIndex = depth === 0 ? 0 : -1;
      next.set(keyOf(card), el);
    });
    elements = next;
    if (!top || keyOf(top.card) !== keyOf(shown[0])) {
      top?.detach();
      const el = elements.get(keyOf(shown[0]));
      top = { card: shown[0], el, detach: readOnly ? () => {} : swipeable(el, { allowed: allowedOf(shown[0]), onCommit: act }) };
    }
    // Move only what must move: taking the top card out of the document mid-drag would lose its pointer capture.
    const order = [...elements.values()].reverse();
    for (const child of [...stack.children]) if (!order.includes(child)) child.remove();
    order.forEach((el, i) => { if (stack.children[i] !== el) stack.insertBefore(el, stack.children[i] ?? null); });
    markScrollable(top.el);
    setButtons(shown[0]);
  }

  function setButtons(card) {
    const allowed = card ? allowedOf(card) : new Set();
    for (const d of ALL) buttons[d].disabled = readOnly || busy || !allowed.has(DIRECTION[d]);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target.closest?.('input, textarea, select, [contenteditable]')) return;
    const direction = KEYS[e.key];
    if (!direction || readOnly || !top || busy) return;
    e.preventDefault();
    act(direction);
  }

  /** Right, left or up on the top card, from a gesture, a key or a button. */
  async function act(direction) {
    if (!top || busy || readOnly) return;
    const { card, el } = top;
    if (!allowedOf(card).has(direction)) {
      toast(`This decision does not offer “${DECISION[direction]}”.`, 'warn');
      settle(el);
      return;
    }
    if (direction === 'up') {
      openSheet(el);
      return;
    }
    await decide(direction, '');
  }

  async function decide(direction, text) {
    const { card, el, detach } = top;
    const decision = DECISION[direction];
    busy = true;
    setButtons(null);
    detach();
    gone.add(keyOf(card));
    await flyOut(el, direction);
    queue = queue.filter(c => keyOf(c) !== keyOf(card));
    top = null;
    busy = false;
    render();
    try {
      await api(ws('runs', card.run, 'decisions', card.agent), {
        method: 'POST', body: { decision, comment: text, shown_hash: card.shown_hash },
      });
      toast(`${{ approve: 'Approved', reject: 'Rejected', changes: 'Changes requested' }[decision]} · ${card.chain} / ${card.agent}`,
        decision === 'reject' ? 'warn' : 'ok');
    } catch (e) {
      if (e.status === 409) {
        toast('Already decided by someone else — moving on.', 'warn');
      } else {
        // Not decided: the card comes back on top.
        gone.delete(keyOf(card));
        queue = [card, ...queue.filter(c => keyOf(c) !== keyOf(card))];
        render();
        toast(`Not sent: ${e.message}`, 'error');
      }
    }
    window.dispatchEvent(new CustomEvent('baton:inbox-changed'));
    refresh();
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

  async function onSend(e) {
    e.preventDefault();
    const text = comment.value.trim();
    if (!text || !top) return;
    sheet.hidden = true;
    top.el.classList.remove('lifted');
    busy = false;
    await decide('up', text);
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    top?.detach();
    document.removeEventListener('keydown', onKey);
  };
}

function allowedOf(card) {
  const options = card.options?.length ? card.options : ALL;
  return new Set(options.filter(o => DIRECTION[o]).map(o => DIRECTION[o]));
}

function cardElement(card) {
  const lastRound = card.round >= card.max_rounds;
  const changed = card.round > 1 && card.previous_shown != null;
  return h('article', {
    class: 'card', dataset: { run: card.run, agent: card.agent, round: card.round },
    'aria-label': `Decision ${card.agent} in ${card.chain}, round ${card.round} of ${card.max_rounds}`,
  },
  h('div', { class: 'stamp stamp-right', 'aria-hidden': 'true' }, 'Approve'),
  h('div', { class: 'stamp stamp-left', 'aria-hidden': 'true' }, 'Reject'),
  h('div', { class: 'stamp stamp-up', 'aria-hidden': 'true' }, 'Changes'),
  h('header', { class: 'card-head' },
    h('div', { class: 'card-title' },
      h('span', { class: 'card-chain' }, card.chain),
      h('span', { class: 'card-agent' }, card.agent)),
    h('div', { class: 'card-sub' },
      h('a', { class: 'mono card-run', href: `#/runs/${encodeURIComponent(card.run)}`, title: 'Open the run' }, card.run),
      h('span', { class: `card-round${lastRound && card.max_rounds > 1 ? ' last' : ''}` }, `round ${card.round} of ${card.max_rounds}`),
      h('span', { class: 'card-since', title: card.since }, ago(card.since)),
      h('span', { class: 'card-position' }))),
  h('div', { class: 'card-body' },
    changed ? h('section', { class: 'card-changes' },
      h('h2', {}, `What changed since round ${card.round - 1}`),
      card.last_comment ? h('p', { class: 'card-comment' }, h('span', { class: 'muted' }, 'Feedback: '), card.last_comment) : null,
      renderDiff(lineDiff(card.previous_shown, card.shown))) : null,
    h('section', { class: 'card-shown' },
      changed ? h('h2', {}, 'Now') : null,
      h('pre', { class: 'shown' }, card.shown))),
  h('footer', { class: 'card-foot', 'aria-hidden': 'true' },
    ['left', 'up', 'right'].map(d => h('span', { class: `card-foot-${d}${allowedOf(card).has(d) ? '' : ' off'}` },
      { left: '← reject', up: '↑ changes', right: 'approve →' }[d]))));
}

/** Touch can scroll a long card body vertically; then "up" is swiped from the header instead. */
function markScrollable(el) {
  requestAnimationFrame(() => {
    const body = el.querySelector('.card-body');
    if (body) body.classList.toggle('scrollable', body.scrollHeight > body.clientHeight + 1);
  });
}

function empty() {
  return h('div', { class: 'inbox-empty' },
    h('div', { class: 'inbox-empty-art', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
    h('p', { class: 'empty-title' }, 'Nothing waits for you'),
    h('p', { class: 'muted' }, 'Decisions appear here as soon as a run asks for one.'));
}
