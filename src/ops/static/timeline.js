// A run's waterfall: every bar placed on one time axis from the run's creation to its end (or now).
const usd = (micros) => `$${(Number(micros) / 1e6).toFixed(4)}`;
const ms = (n) => (n === null || n === undefined ? 'running' : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);
const KIND_LABEL = { queued: 'queued', planning: 'planning', step: 'step', tool: 'tool call', wait_approval: 'approval wait', wait_link: 'link wait' };

export function renderTimeline(t, el) {
  const start = Date.parse(t.run.createdAt);
  const ends = t.bars.map((b) => (b.end ? Date.parse(b.end) : Date.now()));
  const end = Math.max(start + 1, t.run.finishedAt ? Date.parse(t.run.finishedAt) : Date.now(), ...ends);
  const total = end - start;
  const pct = (at) => ((at - start) / total) * 100;
  const rows = t.bars.map((b, i) => {
    const from = Date.parse(b.start);
    const to = ends[i];
    const facts = [KIND_LABEL[b.kind] ?? b.kind, ms(b.durationMs), b.status, b.tier ? `tier ${b.tier}` : null,
      b.tokens ? `${b.tokens} tokens` : null, b.costMicros ? usd(b.costMicros) : null, b.connectorId].filter(Boolean).join(' · ');
    return el('div', { class: `tl-row tl-${b.kind}`, 'data-kind': b.kind, title: facts }, [
      el('span', { class: 'tl-label', style: `padding-left:${b.depth * 1.2}rem`, text: b.label }),
      el('span', { class: 'tl-track' }, [el('span', { class: 'tl-bar', style: `left:${pct(from)}%;width:${Math.max(0.4, pct(to) - pct(from))}%` })]),
      el('span', { class: 'tl-facts', text: facts }),
    ]);
  });
  const events = t.events.map((e) => el('tr', { 'data-testid': 'timeline-event' }, [
    el('td', { text: `+${ms(Date.parse(e.at) - start)}` }), el('td', { text: e.type }), el('td', { text: e.summary }),
  ]));
  const calls = t.modelCalls.map((c) => el('tr', {}, [el('td', { text: `+${ms(Date.parse(c.at) - start)}` }), el('td', { text: c.tier ?? '—' }), el('td', { text: c.model ?? '—' }), el('td', { text: String(c.tokens) }), el('td', { text: usd(c.costMicros) })]));
  return el('div', { 'data-testid': 'timeline' }, [
    el('p', { class: 'muted', text: `${t.run.status} · ${ms(total)} end to end · tier ${t.run.tier ?? '—'} · ${t.run.tokens} tokens · ${usd(t.run.costMicros)}` }),
    // The trace id to paste into the tracing backend (Jaeger, Tempo, …); absent when tracing was off.
    t.run.traceId ? el('p', { class: 'muted', 'data-testid': 'timeline-trace' }, [el('span', { text: 'Trace ' }), el('code', { text: t.run.traceId })]) : null,
    el('div', { class: 'tl' }, rows.length ? rows : [el('p', { class: 'muted', text: 'Nothing has happened in this run yet.' })]),
    el('h4', { text: 'Model calls' }),
    calls.length ? el('table', {}, [el('tbody', {}, calls)]) : el('p', { class: 'muted', text: 'No model was called (tier 0).' }),
    el('h4', { text: 'Sent to the channel' }),
    el('table', {}, [el('tbody', {}, events)]),
  ]);
}
