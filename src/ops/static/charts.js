// Usage charts per day (uPlot, served from node_modules by /ops/static/uplot.js).
import uPlot from './uplot.js';

const usd = (micros) => `$${(Number(micros) / 1e6).toFixed(2)}`;
const age = (ms) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
const compact = (v) => new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(v);
const COLORS = ['#4a3aff', '#e8590c', '#2f9e44', '#c2255c', '#1971c2', '#868e96'];

function chart(el, title, xs, series, opts = {}) {
  const box = el('div', { class: 'chart', 'data-testid': `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }, [el('h4', { text: title })]);
  const plot = {
    width: 460, height: 200,
    scales: { x: { time: true }, y: opts.y ?? {} },
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? COLORS[i % COLORS.length], width: 2, dash: s.dash, ...(s.bars ? { paths: uPlot.paths.bars({ size: [0.6, 40] }), fill: `${COLORS[i % COLORS.length]}55` } : {}), value: opts.value }))],
    axes: [{}, { values: (_u, ticks) => ticks.map(opts.axis ?? compact), size: 64 }],
  };
  new uPlot(plot, [xs, ...series.map((s) => s.data)], box);
  return box;
}

export function renderUsageCharts(u, el) {
  const xs = u.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const last = u.days.length - 1;
  const capUsd = u.caps.perTenantDay.usd;
  const capTokens = u.caps.perTenantDay.tokens;
  const flat = (v) => u.days.map(() => v);
  const connectors = Object.entries(u.failuresByConnector);
  const figure = (id, label, value) => el('div', { class: 'figure' }, [el('span', { class: 'muted', text: label }), el('strong', { 'data-testid': id, text: String(value) })]);
  return el('div', { 'data-testid': 'usage-charts' }, [
    el('div', { class: 'figures' }, [
      figure('today-runs', `Runs on ${u.days[last]}`, u.runs[last]),
      figure('today-tier0', 'tier 0 share', u.tier0Share[last] === null ? '—' : `${Math.round(u.tier0Share[last] * 100)}%`),
      figure('today-tokens', 'tokens', u.tokens[last]),
      figure('today-usd', capUsd === undefined ? 'USD (no cap)' : `USD of ${usd(capUsd)}`, usd(u.costMicros[last])),
      figure('today-p95', 'p95 time to answer', u.p95Ms[last] === null ? '—' : `${u.p95Ms[last]} ms`),
      figure('approvals-waiting', 'approvals waiting', u.approvalQueue.pending),
      figure('approvals-oldest', 'oldest waiting', u.approvalQueue.oldestAgeMs === null ? '—' : age(u.approvalQueue.oldestAgeMs)),
    ]),
    el('div', { class: 'charts' }, [
      chart(el, 'Runs', xs, [{ label: 'runs', data: u.runs, bars: true }, { label: 'failed', data: u.failedRuns }]),
      chart(el, 'Tier 0 share', xs, [{ label: 'tier 0', data: u.tier0Share.map((v) => (v === null ? null : v * 100)) }], { y: { range: [0, 100] }, axis: (v) => `${v}%` }),
      chart(el, 'Tokens', xs, [{ label: 'tokens', data: u.tokens }, ...(capTokens === undefined ? [] : [{ label: 'daily cap', data: flat(capTokens), dash: [6, 4], color: '#b3261e' }])]),
      chart(el, 'USD', xs, [{ label: 'USD', data: u.costMicros.map((m) => m / 1e6) }, ...(capUsd === undefined ? [] : [{ label: 'daily cap', data: flat(capUsd / 1e6), dash: [6, 4], color: '#b3261e' }])], { axis: (v) => `$${v}` }),
      chart(el, 'Latency', xs, [{ label: 'p50 ms', data: u.p50Ms }, { label: 'p95 ms', data: u.p95Ms }]),
      chart(el, 'Failures by connector', xs, connectors.length ? connectors.map(([name, data]) => ({ label: name, data })) : [{ label: 'none', data: flat(0) }]),
    ]),
    el('h4', { text: 'Approval queue' }),
    u.approvalQueue.ages.length
      ? el('table', {}, [el('tbody', {}, u.approvalQueue.ages.map((a) => el('tr', { 'data-testid': 'approval-age' }, [el('td', { text: a.action }), el('td', { text: `waiting ${age(a.ageMs)}` })])))])
      : el('p', { class: 'muted', text: 'No approval is waiting.' }),
  ]);
}
