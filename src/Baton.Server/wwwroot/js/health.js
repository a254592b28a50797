// Health: the workspace's monitoring dashboard (docs/monitoring.md) — recent alerts, the model APIs its runs
// called (latency, errors, breaker; hour by hour as charts), each chain's cost per run with its baseline
// (rolling median) and its quality score over time. Charts are Chart.js from /lib; every number is also in a
// table or a line of text, readable without the canvas.
import { h, mount, usd, time } from './dom.js';
import { api, ws } from './api.js';

export function healthView(root) {
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const alerts = h('section', { class: 'cost-panel', id: 'health-alerts' });
  const models = h('section', { class: 'cost-panel', id: 'health-models' });
  const latency = h('div', { class: 'cost-panels', id: 'health-latency' });
  const costs = h('div', { class: 'cost-panels', id: 'health-costs' });
  const quality = h('div', { class: 'cost-panels', id: 'health-quality' });
  mount(root, h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Health')),
    problem, h('div', { class: 'cost-panels' }, alerts, models), latency, costs, quality));
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
      mount(latency, report.models.filter(m => m.hourly.length).map(m => latencyPanel(Chart, m)));
      mount(costs, history.filter(chain => chain.runs.some(r => r.usd > 0)).map(chain => costPanel(Chart, chain)));
      mount(quality, history.filter(chain => chain.runs.some(r => r.quality != null)).map(chain => qualityPanel(Chart, chain)));
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

  function colours() {
    const style = getComputedStyle(document.documentElement);
    return { ink: style.getPropertyValue('--muted').trim(), primary: style.getPropertyValue('--primary').trim(), danger: style.getPropertyValue('--reject').trim() };
  }

  // A provider's p95 latency and error rate, hour by hour over the window.
  function latencyPanel(Chart, m) {
    const name = `${m.provider} (${m.model})`;
    const canvas = h('canvas', { role: 'img', 'aria-label': `p95 latency and error rate of ${name}, per hour` });
    const { ink, primary, danger } = colours();
    charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        labels: m.hourly.map(x => time(x.hour)),
        datasets: [
          { label: 'p95 ms', data: m.hourly.map(x => x.duration_p95_ms), borderColor: primary, pointRadius: 2, yAxisID: 'ms' },
          { label: 'error rate %', data: m.hourly.map(x => Math.round(x.error_rate * 1000) / 10), borderColor: danger, pointRadius: 2, yAxisID: 'errors' },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { ticks: { color: ink, maxTicksLimit: 6 } },
          ms: { position: 'left', beginAtZero: true, ticks: { color: ink } },
          errors: { position: 'right', beginAtZero: true, max: 100, ticks: { color: ink }, grid: { drawOnChartArea: false } },
        },
      },
    }));
    return h('section', { class: 'cost-panel', dataset: { model: name } },
      h('h2', {}, `Latency and errors: ${name}`), h('div', { class: 'chart-box' }, canvas),
      h('p', { class: 'muted' }, `p95 ${m.duration_p95_ms ?? '–'} ms (baseline ${m.baseline_duration_p95_ms ?? '–'}), ${(m.error_rate * 100).toFixed(1)} % errors over ${m.hourly.length} hour${m.hourly.length === 1 ? '' : 's'}`));
  }

  // The quality score (weighted share of passed checks) of each run that had checks.
  function qualityPanel(Chart, chain) {
    const runs = chain.runs.filter(r => r.quality != null);
    const canvas = h('canvas', { role: 'img', 'aria-label': `Quality score per run of ${chain.chain}` });
    const { ink, primary } = colours();
    charts.push(new Chart(canvas, {
      type: 'line',
      data: { labels: runs.map(r => time(r.time)), datasets: [{ label: 'quality %', data: runs.map(r => Math.round(r.quality * 100)), borderColor: primary, pointRadius: 2 }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { ticks: { color: ink, maxTicksLimit: 6 } }, y: { beginAtZero: true, max: 100, ticks: { color: ink } } } },
    }));
    const last = runs[runs.length - 1];
    return h('section', { class: 'cost-panel', dataset: { chain: chain.chain } },
      h('h2', {}, `Quality: ${chain.chain}`), h('div', { class: 'chart-box' }, canvas),
      h('p', { class: 'muted' }, `${runs.length} runs with checks; last ${Math.round(last.quality * 100)} %`));
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
