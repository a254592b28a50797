// Chains: the workspace's chains (valid or with their errors) and its prompt files (upload, delete).
import { h, mount, toast, twoStep } from './dom.js';
import { api, ws, can } from './api.js';

export function chainsView(root) {
  const list = h('div', { class: 'chain-list' });
  const prompts = h('ul', { class: 'prompt-list' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const upload = h('input', { type: 'file', id: 'prompt-upload', accept: '.md,.txt,text/markdown,text/plain', multiple: true, onchange: onUpload });
  const editor = can('editor');

  mount(root, h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Chains'),
      editor ? h('a', { class: 'btn btn-primary', href: '#/chains/new' }, 'New chain') : null),
    problem,
    list,
    h('section', { class: 'prompts', 'aria-labelledby': 'prompts-title' },
      h('h2', { id: 'prompts-title' }, 'Prompt files'),
      h('p', { class: 'hint' }, 'Files in the workspace\'s prompts/ folder. A chain uses one with ', h('code', {}, 'prompt: ../prompts/NAME.md'), '.'),
      prompts,
      editor ? h('label', { class: 'btn btn-secondary upload' }, 'Upload prompt files…', upload) : null)));

  async function load() {
    try {
      const [chains, files] = await Promise.all([api(ws('chains')), api(ws('prompts'))]);
      problem.hidden = true;
      mount(list, chains.length ? chains.map(chainRow) : h('div', { class: 'empty' },
        h('p', { class: 'empty-title' }, 'No chains yet.'),
        h('p', { class: 'muted' }, editor ? 'Write one with New chain; it is checked as you save.' : 'An editor can add one.')));
      mount(prompts, files.length ? files.map(promptRow) : h('li', { class: 'muted' }, 'No prompt files.'));
    } catch (e) {
      problem.textContent = e.message;
      problem.hidden = false;
    }
  }

  function promptRow(file) {
    return h('li', { class: 'prompt-row', dataset: { prompt: file.name } },
      h('span', { class: 'mono' }, file.name),
      h('span', { class: 'muted' }, `${file.bytes.toLocaleString()} bytes`),
      h('code', { class: 'muted' }, file.reference),
      editor ? twoStep('Delete', 'Click again to delete', () => remove(file.name), { 'aria-label': `Delete ${file.name}` }) : null);
  }

  async function onUpload() {
    for (const file of upload.files) {
      try {
        if (file.size > 1024 * 1024) throw new Error('a prompt file is at most 1 MiB');
        await api(ws('prompts', file.name), { method: 'PUT', raw: await file.text() });
        toast(`Uploaded ${file.name}`, 'ok');
      } catch (e) {
        toast(`${file.name}: ${e.message}`, 'error');
      }
    }
    upload.value = '';
    load();
  }

  async function remove(name) {
    try {
      await api(ws('prompts', name), { method: 'DELETE' });
      toast(`Deleted ${name}`, 'ok');
    } catch (e) {
      toast(e.message, 'error');
    }
    load();
  }

  load();
  return () => {};
}

function chainRow(chain) {
  return h('a', { class: `chain-row${chain.valid ? '' : ' invalid'}`, href: `#/chains/${encodeURIComponent(chain.name)}`, dataset: { chain: chain.name } },
    h('span', { class: 'chain-name' }, chain.name),
    h('span', { class: 'muted chain-description' }, chain.valid ? (chain.description ?? `${chain.agents.length} agents`) : `${chain.errors.length} error${chain.errors.length === 1 ? '' : 's'}: ${chain.errors[0] ?? ''}`),
    chain.staged_only
      ? h('span', { class: 'badge badge-waiting' }, 'staged')
      : h('span', { class: `badge badge-${chain.valid ? 'succeeded' : 'failed'}` }, chain.valid ? 'valid' : 'invalid'));
}
