// One chain's YAML in a code editor (CodeMirror 6, served from /lib): save checks it on the server, and a
// 422's errors (file:line:col) are marked at their line in the editor and listed below it.
import { h, mount, toast } from './dom.js';
import { api, ws, can, ApiError } from './api.js';
import { chainDeployPanel } from './chain-deploy.js';

const TEMPLATE = `name: NAME
description: What this chain does.
inputs:
  topic:
    default: event files
agents:
  draft:
    run: |
      echo "A draft about $BATON_INPUT_TOPIC"
`;

/** The editor's look, from the page's colour variables. */
function theme(cm) {
  return cm.EditorView.theme({
    '&': { backgroundColor: 'var(--surface)', color: 'var(--text)', fontSize: '0.86rem', maxHeight: '70vh', minHeight: '18rem' },
    '.cm-scroller': { fontFamily: 'var(--mono)' },
    '.cm-content': { caretColor: 'var(--text)' },
    '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--primary) 8%, transparent)' },
    '&.cm-focused': { outline: 'none' },
    '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--line)' },
  });
}

/** YAML colours from the page's status colours, which meet WCAG AA on the surface in light and dark. */
function highlight(cm) {
  const t = cm.tags;
  return cm.HighlightStyle.define([
    { tag: [t.propertyName, t.definition(t.propertyName), t.keyword], color: 'var(--running)' },
    { tag: [t.string, t.special(t.string), t.content], color: 'var(--approve)' },
    { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--changes)' },
    { tag: [t.comment, t.meta, t.punctuation, t.separator, t.bracket], color: 'var(--muted)' },
    { tag: [t.labelName, t.typeName], color: 'var(--waiting)' },
    { tag: t.invalid, color: 'var(--reject)' },
  ]);
}

/** @param {string} name a chain's name, or 'new' */
export function chainEditView(root, name) {
  const isNew = name === 'new';
  const editable = can('editor');
  const nameInput = h('input', { id: 'chain-name', placeholder: 'my-chain', pattern: '[a-z0-9][a-z0-9\\-]*', required: true, 'aria-describedby': 'chain-name-help' });
  const host = h('div', { class: 'code-editor', id: 'chain-yaml' });
  const errors = h('ol', { class: 'chain-errors', role: 'alert', 'aria-label': 'Errors', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', disabled: !editable }, isNew ? 'Create chain' : 'Save');
  const status = h('span', { class: 'muted', role: 'status' });
  const deploy = isNew ? null : chainDeployPanel(name);
  mount(root, h('section', { class: 'page chain-page' },
    h('a', { class: 'back', href: '#/chains' }, '← Chains'),
    h('form', { class: 'chain-form', onsubmit: onSave },
      h('div', { class: 'page-head' },
        isNew ? h('div', { class: 'chain-name-field' }, h('label', { for: 'chain-name' }, 'Name'), nameInput,
          h('span', { class: 'hint', id: 'chain-name-help' }, 'lower-case letters, digits and -; the YAML\'s name: must match'))
          : h('h1', {}, name),
        h('div', { class: 'page-tools' }, status, editable ? save : null)),
      host,
      errors),
    deploy?.element));

  let view = null;
  let cm = null;
  let stopped = false;

  async function start() {
    const [lib, yaml] = await Promise.all([
      import('/lib/codemirror.js'),
      isNew ? Promise.resolve(TEMPLATE) : api(`${ws('chains', name)}?version=staging`, { text: true }), // the staged chain when one is staged
    ]);
    if (stopped) return;
    cm = lib;
    // In a shadow root CodeMirror styles itself with constructed style sheets, which the strict CSP allows
    // (in the document it would add a <style> element, which the CSP refuses). Colours come through
    // CSS custom properties, which cross the shadow boundary, so light and dark follow the page.
    const shadow = host.attachShadow({ mode: 'open' });
    view = new cm.EditorView({
      parent: shadow,
      root: shadow,
      state: cm.EditorState.create({
        doc: yaml,
        extensions: [
          cm.lineNumbers(), cm.highlightActiveLineGutter(), cm.history(), cm.drawSelection(), cm.indentOnInput(),
          cm.bracketMatching(), cm.highlightActiveLine(), cm.lintGutter(),
          cm.syntaxHighlighting(highlight(cm)), cm.yaml(),
          cm.keymap.of([...cm.defaultKeymap, ...cm.historyKeymap, cm.indentWithTab,
            { key: 'Mod-s', preventDefault: true, run: () => { onSave(); return true; } }]),
          cm.EditorState.readOnly.of(!editable),
          cm.EditorView.contentAttributes.of({ 'aria-label': `${isNew ? 'New chain' : name} (YAML)` }),
          theme(cm),
        ],
      }),
    });
  }

  async function onSave(event) {
    event?.preventDefault();
    if (!view || !editable) return;
    const target = isNew ? nameInput.value.trim() : name;
    if (!target) { nameInput.focus(); return; }
    save.disabled = true;
    status.textContent = 'Checking…';
    try {
      const saved = await api(ws('chains', target), { method: 'PUT', raw: view.state.doc.toString(), type: 'application/yaml' });
      showErrors([]);
      status.textContent = saved?.staged ? 'Staged' : 'Saved';
      toast(saved?.staged ? `Staged ${target}: production is unchanged until a promotion is approved` : `Saved ${target}`, 'ok');
      deploy?.refresh();
      if (isNew) location.hash = `#/chains/${encodeURIComponent(target)}`;
    } catch (e) {
      status.textContent = '';
      if (e instanceof ApiError && e.status === 422 && Array.isArray(e.problem?.errors)) showErrors(e.problem.errors);
      else toast(e.message, 'error');
    }
    save.disabled = false;
  }

  /** Marks each error at its line and column, and lists them (a click puts the cursor there). */
  function showErrors(list) {
    const doc = view.state.doc;
    const at = e => {
      const line = doc.line(Math.min(Math.max(1, e.line), doc.lines));
      return Math.min(line.from + Math.max(0, e.column - 1), line.to);
    };
    view.dispatch(cm.setDiagnostics(view.state, list.map(e => {
      const from = at(e);
      const line = doc.lineAt(from);
      return { from, to: Math.max(from, line.to), severity: 'error', message: e.message };
    })));
    errors.hidden = list.length === 0;
    mount(errors, list.map(e => h('li', { dataset: { line: e.line } },
      h('button', { type: 'button', class: 'link-button mono', onclick: () => { view.dispatch({ selection: { anchor: at(e) }, scrollIntoView: true }); view.focus(); } },
        `${e.file}:${e.line}:${e.column}`),
      ' ', e.message)));
  }

  start().catch(e => { if (!stopped) toast(e.message, 'error'); });
  return () => { stopped = true; view?.destroy(); };
}
