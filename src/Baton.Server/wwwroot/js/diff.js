// A line diff (longest common subsequence) of what a reviewer saw last round against what they see now.
import { h } from './dom.js';

const MAX_CELLS = 4_000_000; // beyond this the table is too big for a phone; show "all replaced" instead

/** [{ kind: 'same' | 'add' | 'del', text }] */
export function lineDiff(before, after) {
  const a = before.replace(/\n+$/, '').split('\n');
  const b = after.replace(/\n+$/, '').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }

  const ops = a.slice(0, start).map(text => ({ kind: 'same', text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    ops.push(...midA.map(text => ({ kind: 'del', text })), ...midB.map(text => ({ kind: 'add', text })));
  } else {
    ops.push(...lcs(midA, midB));
  }
  ops.push(...a.slice(endA).map(text => ({ kind: 'same', text })));
  return ops;
}

function lcs(a, b) {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS of a[i..] and b[j..], flattened
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] = a[i] === b[j]
        ? lengths[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { ops.push({ kind: 'same', text: a[i] }); i++; j++; }
    else if (lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1]) ops.push({ kind: 'del', text: a[i++] });
    else ops.push({ kind: 'add', text: b[j++] });
  }
  while (i < n) ops.push({ kind: 'del', text: a[i++] });
  while (j < m) ops.push({ kind: 'add', text: b[j++] });
  return ops;
}

const CONTEXT = 2;

/** The diff as lines; long unchanged stretches fold to "N unchanged lines". */
export function renderDiff(ops) {
  const added = ops.filter(o => o.kind === 'add').length;
  const removed = ops.filter(o => o.kind === 'del').length;
  const lines = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k].kind !== 'same') { lines.push(line(ops[k++])); continue; }
    let end = k;
    while (end < ops.length && ops[end].kind === 'same') end++;
    const keepHead = k === 0 ? 0 : CONTEXT;
    const keepTail = end === ops.length ? 0 : CONTEXT;
    if (end - k > keepHead + keepTail + 1) {
      for (let x = k; x < k + keepHead; x++) lines.push(line(ops[x]));
      const hidden = end - k - keepHead - keepTail;
      lines.push(h('div', { class: 'diff-line diff-fold' }, `⋯ ${hidden} unchanged line${hidden === 1 ? '' : 's'}`));
      for (let x = end - keepTail; x < end; x++) lines.push(line(ops[x]));
    } else {
      for (let x = k; x < end; x++) lines.push(line(ops[x]));
    }
    k = end;
  }
  return h('div', { class: 'diff', role: 'group', 'aria-label': `${added} lines added, ${removed} removed` },
    h('div', { class: 'diff-stats' }, h('span', { class: 'diff-stat-add' }, `+${added}`), ' ', h('span', { class: 'diff-stat-del' }, `−${removed}`)),
    h('div', { class: 'diff-lines' }, lines));
}

function line(op) {
  const sign = op.kind === 'add' ? '+' : op.kind === 'del' ? '−' : ' ';
  const label = op.kind === 'add' ? 'added' : op.kind === 'del' ? 'removed' : null;
  return h(op.kind === 'add' ? 'ins' : op.kind === 'del' ? 'del' : 'div', { class: `diff-line diff-${op.kind}`, 'aria-label': label ? `${label}: ${op.text}` : null },
    h('span', { class: 'diff-sign', 'aria-hidden': 'true' }, sign), h('span', { class: 'diff-text' }, op.text || ' '));
}
