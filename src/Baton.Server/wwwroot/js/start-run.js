// Start a run (editors): pick a chain, fill its inputs (defaults pre-filled). A workspace with no chain
// says how to add one.
import { h, mount, toast } from './dom.js';
import { api, ws } from './api.js';

export function startForm() {
  const chain = h('select', { id: 'start-chain', 'aria-label': 'Chain', onchange: showInputs });
  const inputs = h('div', { class: 'start-inputs' });
  const go = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, 'Start run');
  const note = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const description = h('p', { class: 'muted start-description' });
  const empty = h('p', { class: 'hint', hidden: true }, 'No valid chain yet: ', h('a', { href: '#/chains/new' }, 'write one'), ' or fix one on the ', h('a', { href: '#/chains' }, 'Chains'), ' page.');
  let chains = [];
  const form = h('form', { class: 'start', onsubmit: start },
    h('details', { class: 'start-box', ontoggle: load },
      h('summary', { class: 'btn btn-secondary' }, 'Start a run…'),
      h('div', { class: 'start-body' },
        h('label', { for: 'start-chain' }, 'Chain'), chain, empty, description, inputs, note, go)));

  async function load(event) {
    if (!event.target.open || chains.length) return;
    try {
      chains = (await api(ws('chains'))).filter(c => c.valid);
      mount(chain, chains.length ? chains.map(c => h('option', { value: c.name }, c.name)) : h('option', { value: '' }, 'no valid chains'));
      empty.hidden = chains.length > 0;
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
