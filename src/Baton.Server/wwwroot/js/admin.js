// Workspace administration for owners: secrets (names only; set, delete), API tokens (create, shown once;
// revoke) and the audit log.
import { h, mount, toast, twoStep, time } from './dom.js';
import { api, ws } from './api.js';

const ROLES = ['viewer', 'reviewer', 'editor', 'owner'];

export function adminView(root) {
  const secrets = h('ul', { class: 'admin-list', id: 'secret-list' });
  const secretName = h('input', { id: 'secret-name', placeholder: 'NAME', pattern: '[A-Z_][A-Z0-9_]*', required: true, autocomplete: 'off' });
  const secretValue = h('textarea', { id: 'secret-value', rows: 2, required: true, autocomplete: 'off', spellcheck: false });
  const tokens = h('ul', { class: 'admin-list', id: 'token-list' });
  const tokenName = h('input', { id: 'token-name', placeholder: 'who or what uses it', required: true, maxlength: 100 });
  const tokenRole = h('select', { id: 'token-role' }, ROLES.map(r => h('option', { value: r, selected: r === 'reviewer' }, r)));
  const fresh = h('div', { class: 'fresh-token', hidden: true, role: 'status' });
  const audit = h('tbody');
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });

  mount(root, h('section', { class: 'page admin' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Workspace')),
    problem,
    h('section', { class: 'admin-box', 'aria-labelledby': 'secrets-title' },
      h('h2', { id: 'secrets-title' }, 'Secrets'),
      h('p', { class: 'hint' }, 'Values are encrypted at rest and never shown again; agents read them as ${secret:NAME}.'),
      secrets,
      h('form', { class: 'admin-form', onsubmit: setSecret },
        h('label', { for: 'secret-name' }, 'Name'), secretName,
        h('label', { for: 'secret-value' }, 'Value'), secretValue,
        h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set secret'))),
    h('section', { class: 'admin-box', 'aria-labelledby': 'tokens-title' },
      h('h2', { id: 'tokens-title' }, 'API tokens'),
      tokens,
      fresh,
      h('form', { class: 'admin-form', onsubmit: createToken },
        h('label', { for: 'token-name' }, 'Name'), tokenName,
        h('label', { for: 'token-role' }, 'Role'), tokenRole,
        h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create token'))),
    h('section', { class: 'admin-box', 'aria-labelledby': 'audit-title' },
      h('h2', { id: 'audit-title' }, 'Audit log'),
      h('div', { class: 'table-scroll' }, h('table', { class: 'audit-table' },
        h('thead', {}, h('tr', {}, ['time', 'who', 'action', 'target', 'detail'].map(c => h('th', { scope: 'col' }, c)))),
        audit)))));

  async function load() {
    try {
      const [names, list, entries] = await Promise.all([api(ws('secrets')), api(ws('tokens')), api(`${ws('audit')}?limit=200`)]);
      problem.hidden = true;
      mount(secrets, names.length ? names.map(n => h('li', { dataset: { secret: n } }, h('span', { class: 'mono' }, n),
        twoStep('Delete', 'Click again to delete', () => act(api(ws('secrets', n), { method: 'DELETE' }), `Deleted ${n}`), { 'aria-label': `Delete secret ${n}` })))
        : h('li', { class: 'muted' }, 'No secrets.'));
      mount(tokens, list.map(t => h('li', { dataset: { token: t.id } },
        h('span', {}, t.name), h('span', { class: `badge badge-role` }, t.role), h('span', { class: 'muted mono' }, t.id),
        h('span', { class: 'muted' }, new Date(t.created).toLocaleDateString()),
        twoStep('Revoke', 'Click again to revoke', () => act(api(ws('tokens', t.id), { method: 'DELETE' }), `Revoked ${t.name}`), { 'aria-label': `Revoke ${t.name}` }))));
      mount(audit, [...entries].reverse().map(e => h('tr', {},
        h('td', { class: 'mono', title: e.time }, `${new Date(e.time).toLocaleDateString()} ${time(e.time)}`),
        h('td', {}, e.by ?? e.who ?? ''), h('td', { class: 'mono' }, e.action ?? ''), h('td', { class: 'mono' }, e.target ?? ''), h('td', {}, e.detail ?? ''))));
    } catch (e) {
      problem.textContent = e.message;
      problem.hidden = false;
    }
  }

  async function act(request, done) {
    try {
      await request;
      toast(done, 'ok');
    } catch (e) {
      toast(e.message, 'error');
    }
    load();
  }

  async function setSecret(event) {
    event.preventDefault();
    const name = secretName.value.trim();
    await act(api(ws('secrets', name), { method: 'PUT', raw: secretValue.value }), `Set ${name}`);
    secretValue.value = ''; // never kept on the page
  }

  async function createToken(event) {
    event.preventDefault();
    try {
      const created = await api(ws('tokens'), { method: 'POST', body: { name: tokenName.value.trim(), role: tokenRole.value } });
      fresh.hidden = false;
      mount(fresh, h('p', {}, `Token for ${created.name} (${created.role}) — copy it now, it is not shown again:`),
        h('code', { class: 'token-value' }, created.token));
      tokenName.value = '';
    } catch (e) {
      toast(e.message, 'error');
    }
    load();
  }

  load();
  return () => {};
}
