// One decision card of the inbox, drawn from the server's card (all data as text nodes).
import { h, ago } from './dom.js';
import { lineDiff, renderDiff } from './diff.js';

export const DIRECTION = { approve: 'right', reject: 'left', changes: 'up' };
export const ALL = ['approve', 'reject', 'changes'];

/** The directions a card can be swiped, from its decision's `options:`. */
export function allowedOf(card) {
  const options = card.options?.length ? card.options : ALL;
  return new Set(options.filter(o => DIRECTION[o]).map(o => DIRECTION[o]));
}

export function cardElement(card) {
  const lastRound = card.round >= card.max_rounds;
  const changed = card.round > 1 && card.previous_shown != null;
  return h('article', {
    class: 'card', dataset: { run: card.run, agent: card.agent, round: card.round, kind: card.kind ?? 'run' },
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
      card.kind === 'promotion'
        ? h('a', { class: 'mono card-run', href: `#/chains/${encodeURIComponent(card.chain)}`, title: 'Open the chain: production, staging, history' }, card.run)
        : h('a', { class: 'mono card-run', href: `#/runs/${encodeURIComponent(card.run)}`, title: 'Open the run' }, card.run),
      h('span', { class: `card-round${lastRound && card.max_rounds > 1 ? ' last' : ''}` }, `round ${card.round} of ${card.max_rounds}`),
      h('span', { class: 'card-since', title: card.since }, ago(card.since)),
      h('span', { class: 'card-position' })),
    h('p', { class: 'card-gone', hidden: true }, 'No longer waiting: decided elsewhere or the run ended. Decide to move on.')),
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

/**
 * A long card's body scrolls: by touch it then lets the browser pan vertically (touch-action: pan-y;
 * sideways swipes still reach the card) and "up" is swiped from the header or footer instead.
 */
export function markScrollable(el) {
  requestAnimationFrame(() => {
    const body = el.querySelector('.card-body');
    if (body) body.classList.toggle('scrollable', body.scrollHeight > body.clientHeight + 1);
  });
}

/** Scrolls the card's body for a key; returns false when the key is not a scrolling key here. */
export function scrollCard(el, key) {
  const body = el.querySelector('.card-body');
  if (!body) return false;
  const line = 48;
  const page = Math.max(line, body.clientHeight * 0.85);
  const by = { ArrowDown: line, ArrowUp: -line, PageDown: page, PageUp: -page }[key];
  if (key === 'Home' || key === 'End') {
    body.scrollTo({ top: key === 'Home' ? 0 : body.scrollHeight });
    return true;
  }
  if (by === undefined) return false;
  // ↑ at the top is "request changes", not a scroll.
  if (key === 'ArrowUp' && body.scrollTop <= 0) return false;
  body.scrollBy({ top: by });
  return true;
}

export function emptyInbox() {
  return h('div', { class: 'inbox-empty' },
    h('div', { class: 'inbox-empty-art', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
    h('p', { class: 'empty-title' }, 'Nothing waits for you'),
    h('p', { class: 'muted' }, 'Decisions appear here as soon as a run asks for one.'));
}
