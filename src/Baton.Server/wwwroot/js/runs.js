// The runs list: newest first, a page at a time (server-side `limit` and `before`), filtered by status,
// chain, text and dates. The filters and the page live in the URL (#/runs?status=failed&chain=x…), so a
// link or a reload shows the same list. Polled every 2 s and updated in place: rows are kept and patched,
// so focus, hover and scroll stay where they were.
import { h, mount, ago, duration, usd, badge } from './dom.js';
import { api, ws, can } from './api.js';
import { startForm } from './start-run.js';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'rejected', 'cancelled'];
const FILTERS = ['status', 'chain', 'q', 'from', 'to'];
const PAGE = 50; // runs a page, unless the URL says `limit=`

/** @param {URLSearchParams} params the filters and the page from the URL */
export function runsView(root, params) {
  const filters = Object.fromEntries(FILTERS.map(k => [k, params.get(k) ?? '']));
  const size = Math.min(999, Math.max(1, Number(params.get('limit')) || PAGE)); // the server takes up to 1000: one more is asked for
  let before = params.get('before') ?? '';
  const field = (key, el) => { el.value = filters[key]; el.addEventListener('change', () => set(key, el.value)); return el; };
  const status = field('status', h('select', { id: 'status-filter', 'aria-label': 'Status' },
    h('option', { value: '' }, 'All statuses'), STATUSES.map(s => h('option', { value: s }, s))));
  const chain = h('select', { id: 'chain-filter', 'aria-label': 'Chain' }, h('option', { value: '' }, 'All chains'));
  if (filters.chain) chain.append(h('option', { value: filters.chain }, filters.chain));
  field('chain', chain);
  const text = h('input', { id: 'text-filter', type: 'search', placeholder: 'Search id, chain, agent, reason', 'aria-label': 'Search', value: filters.q });
  let typing = 0;
  text.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => set('q', text.value.trim()), 300); });
  const from = field('from', h('input', { id: 'from-filter', type: 'date', 'aria-label': 'Started on or after' }));
  const to = field('to', h('input', { id: 'to-filter', type: 'date', 'aria-label': 'Started on or before' }));
  const list = h('div', { class: 'runs', 'aria-busy': 'true' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const newer = h('a', { class: 'btn btn-small', hidden: true }, '← Newest');
  const older = h('a', { class: 'btn btn-small', hidden: true }, 'Older →');
  const count = h('span', { class: 'muted runs-count', role: 'status' });

  mount(root, h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Runs'), can('editor') ? startForm() : null),
    h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter runs', onsubmit: e => e.preventDefault() },
      text, status, chain,
      h('label', { class: 'date-field' }, h('span', {}, 'from'), from),
      h('label', { class: 'date-field' }, h('span', {}, 'to'), to),
      h('button', { type: 'button', class: 'btn btn-quiet btn-small', onclick: clear }, 'Clear')),
    problem,
    h('div', { class: 'runs-table' },
      // Column names for the eye; each row is one link whose text reads in the same order.
      h('div', { class: 'runs-head', 'aria-hidden': 'true' },
        ['Chain · run', 'Agents', 'Started · duration · cost', 'Status'].map(c => h('span', {}, c))),
      list),
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, newer, count, older)));

  loadChains(chain);
  let stopped = false;
  let timer = 0;
  const rows = new Map(); // run id -> row element, kept across polls

  function set(key, value) {
    filters[key] = value;
    before = '';
    writeUrl();
    refresh();
  }

  function clear() {
    for (const key of FILTERS) filters[key] = '';
    for (const el of [status, chain, text, from, to]) el.value = '';
    before = '';
    writeUrl();
    refresh();
  }

  function query(extra = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, before, limit: size === PAGE ? '' : String(size), ...extra })) if (v) q.set(k, v);
    return q;
  }

  function writeUrl() {
    const q = query().toString();
    history.replaceState(null, '', `#/runs${q ? `?${q}` : ''}`);
  }

  async function refresh() {
    clearTimeout(timer);
    const asked = query({ limit: String(size + 1) }).toString(); // one more than shown: is there an older page?
    try {
      const runs = await api(`${ws('runs')}?${asked}`);
      if (stopped || asked !== query({ limit: String(size + 1) }).toString()) return; // the filters changed meanwhile
      problem.hidden = true;
      render(runs.slice(0, size), runs.length > size);
    } catch (e) {
      if (stopped) return;
      problem.textContent = e.message;
      problem.hidden = false;
    }
    list.setAttribute('aria-busy', 'false');
    if (!stopped) timer = setTimeout(refresh, 2000);
  }

  function render(runs, more) {
    const filtered = FILTERS.some(k => filters[k]);
    count.textContent = runs.length ? `${runs.length}${more ? '+' : ''} run${runs.length === 1 ? '' : 's'}${before ? ' (older page)' : ''}` : '';
    newer.hidden = !before;
    newer.href = `#/runs${pageQuery('')}`;
    older.hidden = !more;
    if (more) older.href = `#/runs${pageQuery(runs[runs.length - 1].id)}`;
    if (runs.length === 0) {
      rows.clear();
      mount(list, h('div', { class: 'empty' },
        h('p', { class: 'empty-title' }, filtered ? 'No run matches these filters.' : 'No runs yet.'),
        can('editor') && !filtered ? h('p', { class: 'muted' }, 'Start one of your chains above, or ', h('a', { href: '#/chains' }, 'add a chain'), '.') : null));
      return;
    }
    list.querySelector('.empty')?.remove();
    const keep = new Set(runs.map(r => r.id));
    for (const [id, row] of rows) if (!keep.has(id)) { row.remove(); rows.delete(id); }
    runs.forEach((run, i) => {
      const row = rows.get(run.id) ?? rowElement(run.id);
      rows.set(run.id, row);
      updateRow(row, run);
      if (list.children[i] !== row) list.insertBefore(row, list.children[i] ?? null);
    });
  }

  function pageQuery(cursor) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, before: cursor, limit: size === PAGE ? '' : String(size) })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  refresh();
  return () => { stopped = true; clearTimeout(timer); clearTimeout(typing); };
}

async function loadChains(select) {
  try {
    const chains = await api(ws('chains'));
    const current = select.value;
    mount(select, h('option', { value: '' }, 'All chains'), chains.map(c => h('option', { value: c.name }, c.name)));
    select.value = current;
  } catch {
    // The filter still works with the chain from the URL.
  }
}

function rowElement(id) {
  const cell = cls => h('span', { class: cls });
  const row = h('a', { class: 'run-row', href: `#/runs/${encodeURIComponent(id)}`, dataset: { run: id } },
    h('span', { class: 'run-main' }, h('span', { class: 'run-chain' }), h('span', { class: 'run-id mono' }, id)),
    cell('run-progress'), cell('run-meta'), cell('run-status'));
  return row;
}

/** Patches a row in place; untouched text nodes stay (no flicker, no lost focus). */
function updateRow(row, run) {
  const agents = Object.entries(run.agents ?? {});
  const done = agents.filter(([, a]) => a.status === 'done').length;
  row.className = `run-row status-${run.status}`;
  setText(row.querySelector('.run-chain'), run.chain ?? '');
  const progress = row.querySelector('.run-progress');
  progress.title = `${done} of ${agents.length} agents done`;
  const pips = agents.map(([name, a]) => `${name}:${a.status}`).join(' ');
  if (progress.dataset.pips !== pips) {
    progress.dataset.pips = pips;
    mount(progress, agents.map(([name, a]) => h('span', { class: `pip pip-${a.status}`, title: `${name}: ${a.status}` })));
  }
  const meta = `${ago(run.started)}|${duration(run.started, run.finished)}|${usd(run.cost_usd)}`;
  const metaCell = row.querySelector('.run-meta');
  if (metaCell.dataset.meta !== meta) {
    metaCell.dataset.meta = meta;
    mount(metaCell, h('span', { title: run.started ?? '' }, ago(run.started)), h('span', {}, duration(run.started, run.finished)),
      h('span', { class: 'mono' }, usd(run.cost_usd)));
  }
  const statusCell = row.querySelector('.run-status');
  if (statusCell.dataset.status !== run.status) {
    statusCell.dataset.status = run.status;
    mount(statusCell, badge(run.status));
  }
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
