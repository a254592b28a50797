// Logging in: paste a token (POST /api/login); the server's one-time /login?code= link lands on / already logged in.
import { h, mount } from './dom.js';
import { api } from './api.js';

export function loginView(root, { expired }) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: !expired },
    expired ? 'That login link has expired or was already used. Paste a token instead.' : '');
  const token = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true,
    spellcheck: 'false', placeholder: 'bt_…', 'aria-describedby': 'token-help',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Log in');
  const form = h('form', { class: 'login-form', onsubmit: onSubmit },
    h('label', { for: 'token' }, 'API token'),
    token,
    h('p', { class: 'hint', id: 'token-help' },
      'Create one with ', h('code', {}, 'baton token create --workspace W --role R'),
      '. It is exchanged for a session cookie; the page never stores it.'),
    error,
    submit);

  mount(root, h('section', { class: 'login' },
    h('div', { class: 'login-card' },
      h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark brand-mark-lg', 'aria-hidden': 'true' }), h('h1', {}, 'Baton')),
      h('p', { class: 'muted' }, 'Run agent chains, watch them, and step in when it matters.'),
      form)));
  token.focus();

  async function onSubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      const answer = await api('/api/login', { method: 'POST', body: { token: token.value.trim() } });
      token.value = '';
      // The login answer has no token name; ask the session for the full picture.
      const session = await api('/api/session');
      window.dispatchEvent(new CustomEvent('baton:login', { detail: { ...answer, ...session } }));
    } catch (e) {
      error.textContent = e.status === 401 ? 'That token is not valid.' : e.message;
      error.hidden = false;
      submit.disabled = false;
      token.select();
    }
  }
  return () => {};
}
