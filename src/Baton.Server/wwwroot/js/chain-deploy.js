// The chain page's deployment panel: production against staging (review: required), promotions with their
// tests and decisions (an owner's override over failing tests, rollback), and each prompt agent's version
// history with its runs' outcomes and the diff of the prompt now against its last known good version.
import { h, mount, toast, time } from './dom.js';
import { api, ws, can } from './api.js';
import { lineDiff, renderDiff } from './diff.js';

/** @param {string} name the chain's name */
export function chainDeployPanel(name) {
  const staging = h('section', { class: 'deploy-staging', 'aria-labelledby': 'staging-title' });
  const promotions = h('section', { class: 'deploy-promotions', 'aria-labelledby': 'promotions-title' });
  const history = h('section', { class: 'deploy-history', 'aria-labelledby': 'history-title' });
  const panel = h('div', { class: 'deploy' }, staging, promotions, history);

  async function load() {
    const [stage, list, chains] = await Promise.all([
      api(ws('chains', name, 'staging')),
      api(ws('chains', name, 'promotions')),
      api(ws('chains')),
    ]);
    showStaging(stage);
    showPromotions(list, stage.review_required);
    const agents = chains.find(c => c.name === name)?.agents ?? [];
    const logs = await Promise.all(agents.map(agent => api(ws('chains', name, 'agents', agent, 'versions')).then(v => [agent, v], () => null)));
    showHistory(logs.filter(Boolean));
  }

  function showStaging(stage) {
    const files = stage.files;
    mount(staging,
      h('h2', { id: 'staging-title' }, 'Production and staging'),
      stage.review_required
        ? h('p', { class: 'hint' }, 'This workspace requires review: saving stages a change; production changes only when someone else approves a promotion.')
        : h('p', { class: 'hint' }, 'Saving changes production directly (no review: required in baton.yaml).'),
      files.length === 0
        ? h('p', { class: 'muted staging-empty' }, 'Nothing is staged: production is what runs.')
        : [h('ul', { class: 'staged-files' }, files.map(f => h('li', { class: 'staged-file', dataset: { path: f.path } },
            h('p', {}, h('span', { class: 'mono' }, f.path), ' ', h('span', { class: 'muted' }, `${f.is_new ? 'new, ' : ''}staged by ${f.staged_by} · ${time(f.staged)}`)),
            renderDiff(lineDiff(f.production_text ?? '', f.staged_text ?? ''))))),
          can('editor') && stage.review_required
            ? h('button', { type: 'button', class: 'btn btn-primary open-promotion', onclick: open }, 'Open a promotion (runs the tests)')
            : null]);
  }

  function showPromotions(list, review) {
    if (!review && list.length === 0) { mount(promotions); return; }
    const lastApproved = list.find(p => p.status === 'approved');
    mount(promotions,
      h('h2', { id: 'promotions-title' }, 'Promotions'),
      list.length === 0 ? h('p', { class: 'muted' }, 'None yet.') : h('div', { class: 'table-scroll' },
        h('table', { class: 'audit-table promotions-table' },
          h('thead', {}, h('tr', {}, ['Opened', 'Status', 'Tests', 'Files', 'Steps', ''].map(t => h('th', {}, t)))),
          h('tbody', {}, list.map(p => h('tr', { dataset: { promotion: p.id, status: p.status } },
            h('td', {}, time(p.opened), h('br'), h('span', { class: 'muted mono' }, p.id)),
            h('td', {}, h('span', { class: `badge badge-${p.status === 'approved' ? 'succeeded' : p.status === 'open' ? 'waiting' : 'cancelled'}` }, p.status)),
            h('td', { class: p.tests.passed ? '' : 'tests-failed' }, p.tests.summary),
            h('td', { class: 'mono' }, p.files.map(f => f.path).join(', ')),
            h('td', {}, p.steps.map(s => `${s.action} by ${s.who}${s.comment ? `: ${s.comment}` : ''}${s.override_reason ? ` (override: ${s.override_reason})` : ''}`).join(' · ')),
            h('td', {}, p.status === 'open' && !p.tests.passed && can('owner') ? overrideForm(p) : null)))))),
      lastApproved && can('editor')
        ? h('button', { type: 'button', class: 'btn btn-secondary rollback', onclick: rollback }, `Roll back ${lastApproved.id}`)
        : null);
  }

  /** An owner may approve a promotion whose tests failed, with a written reason (audited). */
  function overrideForm(p) {
    const reason = h('input', { class: 'override-reason', 'aria-label': 'Why approve over failing tests', placeholder: 'Why approve anyway?', required: true });
    return h('form', { class: 'override', onsubmit: async e => {
      e.preventDefault();
      try {
        await api(ws('chains', name, 'promotions', p.id, 'decisions'), { method: 'POST', body: { decision: 'approve', shown_hash: p.shown_hash, override_reason: reason.value } });
        toast(`Promoted ${name} over failing tests`, 'ok');
      } catch (err) { toast(err.message, 'error'); }
      refresh();
    } }, reason, h('button', { type: 'submit', class: 'btn btn-small' }, 'Approve anyway'));
  }

  function showHistory(logs) {
    mount(history,
      h('h2', { id: 'history-title' }, 'Prompt versions'),
      logs.length === 0 ? h('p', { class: 'muted' }, 'No prompt agent has run yet.') : logs.map(([agent, versions]) =>
        h('div', { class: 'agent-versions', dataset: { agent } },
          h('h3', {}, agent),
          h('div', { class: 'table-scroll' }, h('table', { class: 'audit-table versions-table' },
            h('thead', {}, h('tr', {}, ['Version', 'First used', 'Last used', 'Runs', 'Outcomes', ''].map(t => h('th', {}, t)))),
            h('tbody', {}, versions.slice().reverse().map(v => h('tr', { dataset: { version: v.version } },
              h('td', { class: 'mono' }, v.version),
              h('td', {}, time(v.first_used)),
              h('td', {}, time(v.last_used)),
              h('td', {}, String(v.runs)),
              h('td', { class: 'outcomes' }, Object.entries(v.statuses).map(([s, n]) => `${n} ${s}`).join(', ') + (v.failed_checks ? `, ${v.failed_checks} with failed checks` : '') + (v.marked_bad ? `, ${v.marked_bad} marked bad` : '')),
              h('td', {}, [v.current ? h('span', { class: 'badge badge-running' }, 'current') : null, ' ',
                v.last_good ? h('span', { class: 'badge badge-succeeded' }, 'last good') : null])))))),
          diffButton(agent))));
  }

  function diffButton(agent) {
    const out = h('div', { class: 'agent-diff' });
    return h('div', {}, h('button', { type: 'button', class: 'btn btn-small show-diff', onclick: async () => {
      try {
        const text = await api(ws('chains', name, 'agents', agent, 'diff'), { text: true });
        mount(out, text ? h('pre', { class: 'unified-diff' }, text) : h('p', { class: 'muted' }, 'The prompt now is the last known good version.'));
      } catch (e) { mount(out, h('p', { class: 'muted' }, e.message)); }
    } }, 'Diff against last good'), out);
  }

  async function open(e) {
    e.target.disabled = true;
    e.target.textContent = 'Running the tests…';
    try {
      const p = await api(ws('chains', name, 'promotions'), { method: 'POST' });
      toast(`Promotion ${p.id} opened: ${p.tests.summary}`, p.tests.passed ? 'ok' : 'warn');
    } catch (err) { toast(err.message, 'error'); }
    refresh();
  }

  async function rollback() {
    try {
      const r = await api(ws('chains', name, 'rollback'), { method: 'POST' });
      toast(`Rolled back ${r.rolled_back}`, 'ok');
    } catch (e) { toast(e.message, 'error'); }
    refresh();
  }

  function refresh() {
    load().catch(e => toast(e.message, 'error'));
  }

  refresh();
  return { element: panel, refresh };
}
