// Costs: what LLM calls cost, per day and per chain, agent and model — bar charts (Chart.js, served from
// /lib) with the same numbers as tables beside them (readable without the canvas, and by screen readers).
import { h, mount, usd } from './dom.js';
import { api, ws } from './api.js';

const GROUPS = [['day', 'Per day'], ['chain', 'Per chain'], ['agent', 'Per agent'], ['model', 'Per model']];

export function costsView(root) {
  const since = h('input', { type: 'date', id: 'costs-since', 'aria-label': 'Since' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const total = h('p', { class: 'costs-total' });
  const panels = h('div', { class: 'cost-panels' });
  mount(root, h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Costs'),
      h('label', { class: 'date-field' }, h('span', {}, 'since'), since)),
    problem, total, panels));
  since.addEventListener('change', load);
  let charts = [];
  let stopped = false;

  async function load() {
    const query = since.value ? `?since=${since.value}&by=` : '?by=';
    try {
      const [{ Chart }, ...groups] = await Promise.all([import('/lib/chart.js'), ...GROUPS.map(([by]) => api(ws('costs') + query + by))]);
      if (stopped) return;
      problem.hidden = true;
      for (const c of charts) c.destroy();
      charts = [];
      const sum = groups[0].reduce((s, r) => s + Number(r.usd), 0);
      const calls = groups[0].reduce((s, r) => s + r.calls, 0);
      total.textContent = `${usd(sum)} for ${calls.toLocaleString()} call${calls === 1 ? '' : 's'}`;
      mount(panels, GROUPS.map(([by, title], i) => panel(Chart, by, title, by === 'day' ? [...groups[i]].sort((a, b) => a.key.localeCompare(b.key)) : groups[i])));
    } catch (e) {
      if (stopped) return;
      problem.textContent = e.message;
      problem.hidden = false;
    }
  }

  function panel(Chart, by, title, rows) {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${title}: cost in USD` });
    const box = h('section', { class: 'cost-panel', dataset: { by } },
      h('h2', {}, title),
      rows.length ? h('div', { class: 'chart-box' }, canvas) : h('p', { class: 'muted' }, 'No LLM calls yet.'),
      rows.length ? h('table', { class: 'cost-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, by), h('th', { scope: 'col' }, 'calls'), h('th', { scope: 'col' }, 'tokens in / out'), h('th', { scope: 'col' }, 'USD'))),
        h('tbody', {}, rows.map(r => h('tr', {},
          h('td', { class: 'mono' }, r.key), h('td', {}, r.calls.toLocaleString()),
          h('td', {}, `${r.input_tokens.toLocaleString()} / ${r.output_tokens.toLocaleString()}`), h('td', { class: 'mono' }, usd(r.usd)))))) : null);
    if (rows.length) {
      const style = getComputedStyle(document.documentElement);
      const ink = style.getPropertyValue('--muted').trim();
      charts.push(new Chart(canvas, {
        type: 'bar',
        data: { labels: rows.map(r => r.key), datasets: [{ label: 'USD', data: rows.map(r => Number(r.usd)), backgroundColor: style.getPropertyValue('--primary').trim() }] },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { ticks: { color: ink } }, y: { beginAtZero: true, ticks: { color: ink } } },
        },
      }));
    }
    return box;
  }

  load();
  return () => { stopped = true; for (const c of charts) c.destroy(); };
}
