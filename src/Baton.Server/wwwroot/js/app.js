// Entry point: find out who we are, then route by the URL's hash (#/runs, #/runs/<id>, #/inbox, #/chains, #/costs, #/admin).
import { api, setSession, currentSession, ws, can, ApiError } from './api.js';
import { toast } from './dom.js';
import { loginView } from './login.js';
import { runsView } from './runs.js';
import { runView } from './run.js';
import { inboxView } from './inbox.js';
import { chainsView } from './chains.js';
import { chainEditView } from './chain-edit.js';
import { costsView } from './costs.js';
import { healthView } from './health.js';
import { adminView } from './admin.js';

const view = document.getElementById('view');
let teardown = null;
let inboxTimer = 0;

async function start() {
  try {
    setSession(await api('/api/session'));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) toast(e.message, 'error');
    setSession(null);
  }
  window.addEventListener('hashchange', route);
  window.addEventListener('baton:unauthorized', () => {
    if (currentSession()) {
      setSession(null);
      toast('Your session ended; log in again.', 'warn');
      route();
    }
  });
  window.addEventListener('baton:login', e => {
    setSession(e.detail);
    // A deep link (a run, a card) opened while logged out is still in the address: go there.
    if (!/^#\/[a-z]/.test(location.hash) || location.hash === '#/login') history.replaceState(null, '', '#/runs');
    route();
  });
  window.addEventListener('baton:inbox-changed', refreshInboxCount);
  document.getElementById('logout').addEventListener('click', logout);
  route();
}

function route() {
  teardown?.();
  teardown = null;
  const hash = location.hash;
  const session = currentSession();
  const topbar = document.getElementById('topbar');
  if (!session) {
    topbar.hidden = true;
    clearInterval(inboxTimer);
    teardown = loginView(view, { expired: hash === '#login-expired' });
    return;
  }
  topbar.hidden = false;
  document.getElementById('who').textContent = `${session.workspace} · ${session.role}`;
  const [path, search = ''] = hash.split('?');
  const [, section, id] = path.match(/^#\/([a-z]+)(?:\/(.+))?$/) ?? [];
  const params = new URLSearchParams(search);
  const views = {
    inbox: () => inboxView(view, id && decodeURIComponent(id)),
    runs: () => (section === 'runs' && id ? runView(view, decodeURIComponent(id)) : runsView(view, section === 'runs' ? params : new URLSearchParams())),
    chains: () => (id ? chainEditView(view, decodeURIComponent(id)) : chainsView(view)),
    costs: () => costsView(view),
    health: () => healthView(view),
    admin: () => adminView(view),
  };
  const page = views[section] && (section !== 'admin' || can('owner')) ? section : 'runs';
  if (page !== section) history.replaceState(null, '', '#/runs');
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.toggleAttribute('aria-current', link.dataset.nav === page);
    if (link.dataset.role) link.hidden = !can(link.dataset.role);
  }
  teardown = views[page]();
  document.body.dataset.view = page === 'runs' && section === 'runs' && id ? 'run' : page;
  view.focus({ preventScroll: true });
  clearInterval(inboxTimer);
  refreshInboxCount();
  inboxTimer = setInterval(refreshInboxCount, 5000);
}

async function refreshInboxCount() {
  if (!currentSession()) return;
  try {
    const { pending } = await api(ws('decisions', 'count')); // the count only: the cards' texts are the inbox's to read
    const count = document.getElementById('inbox-count');
    count.hidden = pending === 0;
    count.textContent = String(pending);
  } catch {
    // The views report errors; the badge just stays as it was.
  }
}

async function logout() {
  try {
    await api('/api/logout', { method: 'POST' });
  } catch (e) {
    toast(e.message, 'error');
  }
  setSession(null);
  history.replaceState(null, '', '#/login');
  route();
}

start();
