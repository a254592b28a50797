// The runs list: polled every 2 s, filterable by status; editors can start a run of a chain.
import { h, mount, ago, duration, usd, badge, toast } from './dom.js';
import { api, ws, can } from './api.js';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'rejected', 'cancelled'];
let filter = '';

export function runsView(root) {
  const select = h('select', { id: 'status-filter', 'aria-label': 'Filter by status', onchange: () => { filter = select.value; refresh(); } },
    h('option', { value: '' }, 'All statuses'),
    STATUSES.map(s => h('option', { value: s, selected: s === filter }, s)));
  const list = h('div', { class: 'runs', 'aria-live': 'polite', 'aria-busy': 'true' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const starter = can('editor') ? startForm() : null;

  mount(root, h('section', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, 'Runs'),
      h('div', { class: 'page-tools' }, select)),
    starter,
    problem,
    list));

  let stopped = false;
  let timer = 0;
  async function refresh() {
    clearTimeout(timer);
    try {
      const runs = await api(ws('runs') + (filter ? `?status=${encodeURIComponent(filter)}` : ''));
      if (stopped) return;
      problem.hidden = true;
      render(list, runs);
    } catch (e) {
      if (stopped) return;
      problem.textContent = e.message;
      problem.hidden = false;
    }
    list.setAttribute('aria-busy', 'false');
    if (!stopped) timer = setTimeout(refresh, 2000);
  }
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

function render(list, runs) {
  if (runs.length === 0) {
    mount(list, h('div', { class: 'empty' },
      h('p', { class: 'empty-title' }, filter ? `No ${filter} runs.` : 'No runs yet.'),
      can('editor') && !filter ? h('p', { class: 'muted' }, 'Start one of your chains above.') : null));
    return;
  }
  mount(list, runs.map(run => {
    const agents = Object.entries(run.agents ?? {});
    const done = agents.filter(([, a]) => a.status === 'done').length;
    return h('a', { class: `run-row status-${run.status}`, href: `#/runs/${encodeURIComponent(run.id)}`, dataset: { run: run.id } },
      h('span', { class: 'run-main' },
        h('span', { class: 'run-chain' }, run.chain ?? ''),
        h('span', { class: 'run-id mono' }, run.id)),
      h('span', { class: 'run-progress', title: `${done} of ${agents.length} agents done` },
        agents.map(([name, a]) => h('span', { class: `pip pip-${a.status}`, title: `${name}: ${a.status}` }))),
      h('span', { class: 'run-meta' },
        h('span', { title: run.started ?? '' }, ago(run.started)),
        h('span', {}, duration(run.started, run.finished)),
        h('span', { class: 'mono' }, usd(run.cost_usd))),
      badge(run.status));
  }));
}

function startForm() {
  const chain = h('select', { id: 'start-chain', 'aria-label': 'Chain', onchange: showInputs });
  const inputs = h('div', { class: 'start-inputs' });
  const go = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, 'Start run');
  const note = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const description = h('p', { class: 'muted start-description' });
  let chains = [];
  const form = h('form', { class: 'start', onsubmit: start },
    h('details', { class: 'start-box', ontoggle: load },
      h('summary', { class: 'btn btn-secondary' }, 'Start a run…'),
      h('div', { class: 'start-body' },
        h('label', { for: 'start-chain' }, 'Chain'), chain, description, inputs, note, go)));

  async function load(event) {
    if (!event.target.open || chains.length) return;
    try {
      chains = (await api(ws('chains'))).filter(c => c.valid);
      mount(chain, chains.length ? chains.map(c => h('option', { value: c.name }, c.name)) : h('option', { value: '' }, 'no valid chains'));
      go.disabled = chains.length === 0;
      showInputs();
    } catch (e) {
      note.textContent = e.message;
      note.hidden = false;
    }
  }

  function showInputs() {
    const selected = chains.find(c => c.name === chain.value);
    description.textContent = selected?.description ?? '';
    mount(inputs, (selected?.inputs ?? []).map(input => h('label', { class: 'input-field' },
      h('span', {}, input.name, input.default == null ? h('span', { class: 'required', title: 'required' }, ' *') : null),
      h('input', { name: input.name, value: input.default ?? '', placeholder: input.description ?? '', required: input.default == null }))));
  }

  async function start(event) {
    event.preventDefault();
    go.disabled = true;
    note.hidden = true;
    const values = {};
    for (const field of inputs.querySelectorAll('input')) values[field.name] = field.value;
    try {
      const { id } = await api(ws('runs'), { method: 'POST', body: { chain: chain.value, inputs: values } });
      toast(`Started ${chain.value}`, 'ok');
      location.hash = `#/runs/${encodeURIComponent(id)}`;
    } catch (e) {
      note.textContent = e.message;
      note.hidden = false;
      go.disabled = false;
    }
  }
  return form;
}
