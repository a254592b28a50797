// Health: the workspace's monitoring on one page (docs/monitoring.md) — recent alerts, the model APIs its runs
// called (latency, errors, breaker) and each chain's cost per run with its baseline (rolling median). Charts
// are Chart.js from /lib; every number is also in a table, readable without the canvas.
import { h, mount, usd, time } from './dom.js';
import { api, ws } from './api.js';

export function healthView(root) {
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const alerts = h('section', { class: 'cost-panel', id: 'health-alerts' });
  const models = h('section', { class: 'cost-panel', id: 'health-models' });
  const costs = h('div', { class: 'cost-panels', id: 'health-costs' });
  mount(root, h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Health')),
    problem, h('div', { class: 'cost-panels' }, alerts, models), costs));
  let charts = [];
  let stopped = false;

  async function load() {
    try {
      const [{ Chart }, recent, report, history] = await Promise.all([
        import('/lib/chart.js'), api(ws('alerts') + '?last=20'), api(ws('health')), api(ws('cost-history'))]);
      if (stopped) return;
      for (const c of charts) c.destroy();
      charts = [];
      mount(alerts, h('h2', {}, 'Recent alerts'), recent.length
        ? h('table', { class: 'cost-table' },
          h('thead', {}, h('tr', {}, ['when', 'alert', 'what'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, recent.map(a => h('tr', { dataset: { type: a.type } },
            h('td', {}, time(a.time)), h('td', { class: 'mono' }, a.type), h('td', {}, a.message)))))
        : h('p', { class: 'muted' }, 'No alerts.'));
      mount(models, h('h2', {}, 'Model APIs, last 24 h'), report.models.length
        ? h('table', { class: 'cost-table' },
          h('thead', {}, h('tr', {}, ['provider (model)', 'calls', 'error rate', 'p95 ms', 'baseline p95', 'first chunk p95', 'tokens/s', 'breaker opened']
            .map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, report.models.map(m => h('tr', {},
            h('td', { class: 'mono' }, `${m.provider} (${m.model})`), h('td', {}, String(m.calls)),
            h('td', {}, `${(m.error_rate * 100).toFixed(1)} %` + (Object.keys(m.errors).length ? ` (${Object.entries(m.errors).map(([k, n]) => `${n} ${k}`).join(', ')})` : '')),
            h('td', {}, m.duration_p95_ms ?? '–'), h('td', {}, m.baseline_duration_p95_ms ?? '–'),
            h('td', {}, m.first_chunk_p95_ms ?? '–'), h('td', {}, m.tokens_per_second ?? '–'), h('td', {}, String(m.circuit_opened))))))
        : h('p', { class: 'muted' }, 'No LLM calls in the last 24 h.'));
      mount(costs, history.map(chain => costPanel(Chart, chain)));
    } catch (e) {
      if (stopped) return;
      problem.textContent = e.message;
      problem.hidden = false;
    }
  }

  // Cost per run over time, and the baseline each run was held against: the median of the successful runs before it.
  function costPanel(Chart, chain) {
    const canvas = h('canvas', { role: 'img', 'aria-label': `Cost per run of ${chain.chain}, with its baseline` });
    const baseline = chain.runs.map((_, i) => median(chain.runs.slice(0, i).filter(r => r.status === 'succeeded').slice(-chain.baseline_runs).map(r => r.usd)));
    const style = getComputedStyle(document.documentElement);
    const ink = style.getPropertyValue('--muted').trim();
    charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        labels: chain.runs.map(r => time(r.time)),
        datasets: [
          { label: 'USD per run', data: chain.runs.map(r => r.usd), borderColor: style.getPropertyValue('--primary').trim(), pointRadius: 2 },
          { label: 'baseline', data: baseline, borderColor: ink, borderDash: [4, 4], pointRadius: 0 },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { ticks: { color: ink, maxTicksLimit: 6 } }, y: { beginAtZero: true, ticks: { color: ink } } } },
    }));
    const last = chain.runs[chain.runs.length - 1];
    return h('section', { class: 'cost-panel', dataset: { chain: chain.chain } },
      h('h2', {}, `Cost per run: ${chain.chain}`), h('div', { class: 'chart-box' }, canvas),
      h('p', { class: 'muted' }, `${chain.runs.length} runs; last ${usd(last.usd)}, baseline ${baseline[baseline.length - 1] == null ? '–' : usd(baseline[baseline.length - 1])}`));
  }

  load();
  return () => { stopped = true; for (const c of charts) c.destroy(); };
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
