// Operations view: plain ES module; all data rendered with textContent.
import { renderTimeline } from './timeline.js';
import { renderUsageCharts } from './charts.js';
const $ = (id) => document.getElementById(id);
function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v; else if (k === 'class') node.className = v; else if (k === 'style') node.style.cssText = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
// The session's CSRF token (from /ops/api/me), echoed on every state-changing request.
let csrfToken = '';
async function api(path, options = {}) {
  const headers = { 'content-type': 'application/json', ...(options.method && options.method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}) };
  const res = await fetch(path, { ...options, headers, credentials: 'same-origin' });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== '/auth/login') { showLogin(); throw new Error(body?.error?.message ?? 'Please sign in.'); }
  if (!res.ok) { const error = new Error(body?.error?.message ?? `Request failed (${res.status})`); error.code = body?.error?.code; throw error; }
  return body;
}
const usd = (micros) => `$${(Number(micros) / 1e6).toFixed(4)}`;
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
function table(headers, rows, onClick) {
  return el('table', {}, [
    el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { text: h })))]),
    el('tbody', {}, rows.map((r) => el('tr', onClick ? { class: 'clickable', onclick: () => onClick(r.item) } : {}, r.cells.map((c) => el('td', {}, [c instanceof Node ? c : String(c ?? '—')]))))),
  ]);
}
const SIGN_IN_ERRORS = {
  expired: 'That sign-in expired or was started in another browser. Please try again.',
  unknown_user: 'Your identity provider signed you in, but you are not a member of this workspace.',
  idp_unreachable: 'The identity provider could not be reached. Try again, or use the break-glass sign-in.',
  idp_refused: 'The identity provider did not sign you in.',
  no_email: 'The identity provider did not share your email address.',
  email_not_verified: 'The identity provider says your email address is not verified.',
  sso_not_configured: 'Single sign-on is not set up for that workspace.',
  invalid_response: 'The identity provider\'s answer could not be verified. Please try again.',
};
let tenant = '';
const signOutButton = () => el('button', { text: 'Sign out', onclick: async () => { await api('/auth/logout', { method: 'POST', body: '{}' }).catch(() => {}); csrfToken = ''; showLogin(); } });
async function showLogin(message) {
  $('app').hidden = true; $('login').hidden = false; $('who').textContent = '';
  if (message) $('login-error').textContent = message;
  const url = tenant ? `/auth/options?tenant=${encodeURIComponent(tenant)}` : '/auth/options';
  const options = await api(url).catch((err) => { $('login-error').textContent = err.message; return { tenants: [], askTenant: true }; });
  $('workspace-form').hidden = !options.askTenant;
  const t = options.tenants[0];
  $('sso-buttons').replaceChildren(...options.tenants.filter((x) => x.sso).map((x) => el('a', { class: 'button primary', 'data-testid': 'sso-sign-in', href: `/auth/sso/start?tenant=${encodeURIComponent(x.id)}&returnTo=/ops`, text: `Sign in to ${x.name} with ${x.sso.label}` })));
  $('break-glass').hidden = !(t && t.breakGlass);
  if (t) tenant = t.id;
  if (t && !t.sso && !t.breakGlass) $('login-error').textContent = `No sign-in is configured for ${t.name}.`;
}
async function start() {
  const error = new URLSearchParams(location.search).get('signin_error');
  if (error) history.replaceState(null, '', '/ops');
  try {
    const me = await api('/ops/api/me');
    csrfToken = me.csrfToken;
    $('login').hidden = true; $('app').hidden = false;
    $('who').replaceChildren(el('span', { 'data-testid': 'signed-in-as', text: `${me.email} · ${me.tenantName} ` }), signOutButton());
    show('runs');
  } catch (err) {
    if (err.code === 'not_admin') { await showLogin(err.message); $('who').replaceChildren(signOutButton()); return; }
    showLogin(error ? SIGN_IN_ERRORS[error] ?? 'Sign-in failed. Please try again.' : undefined);
  }
}
const views = {
  async runs() {
    // Keyset pages of 50: "Older runs" continues after the last row shown.
    const headers = ['When', 'Who', 'Channel', 'Request', 'Status', 'Steps', 'Tokens', 'Cost'];
    const body = el('tbody');
    const more = el('button', { text: 'Older runs' });
    let cursor = null;
    const load = async () => {
      const page = await api(`/ops/api/runs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const r of page.runs) {
        body.append(el('tr', { class: 'clickable', 'data-run-id': r.id, onclick: () => showRun(r) },
          [when(r.createdAt), r.user, r.channel, r.input.slice(0, 80), r.status, r.stepsUsed, r.tokensUsed, usd(r.costMicros)].map((c) => el('td', { text: String(c ?? '—') }))));
      }
      cursor = page.nextCursor;
      more.hidden = !cursor;
    };
    more.addEventListener('click', () => load().catch((e) => alert(e.message)));
    await load();
    return el('div', {}, [el('table', {}, [el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { text: h })))]), body]), more]);
  },
  async approvals() {
    const [pending, decided] = await Promise.all([api('/ops/api/approvals?status=pending'), api('/ops/api/approvals?status=decided')]);
    const rows = (list) => list.map((a) => ({ item: a, cells: [when(a.createdAt), a.requester, a.action, a.risk, a.approvers.join(', '), a.status, a.decidedBy, when(a.decidedAt)] }));
    const headers = ['Requested', 'Requester', 'Action', 'Risk', 'Approvers', 'Status', 'Decided by', 'Decided'];
    return el('div', {}, [el('h3', { text: 'Pending' }), table(headers, rows(pending.approvals)), el('h3', { text: 'Decided' }), table(headers, rows(decided.approvals))]);
  },
  async usage() {
    const [u, daily] = await Promise.all([api('/ops/api/usage'), api('/ops/api/usage/daily?days=14')]);
    const cap = (c) => (c === undefined ? 'no cap' : c);
    const bar = (value, max) => (max ? el('span', { class: 'bar', title: `${Math.round((value / max) * 100)}%` }, [el('span', { style: `width:${Math.min(100, (value / max) * 100)}%` })]) : '');
    return el('div', {}, [
      renderUsageCharts(daily, el),
      el('h4', { text: 'Today per person' }),
      el('p', { text: `UTC day ${u.day}: ${u.tenant.runs} runs, ${u.tenant.tokens} tokens, ${usd(u.tenant.costMicros)} for the tenant (caps: ${cap(u.caps.perTenantDay.tokens)} tokens, ${u.caps.perTenantDay.usd === undefined ? 'no cap' : usd(u.caps.perTenantDay.usd)}).` }),
      table(['User', 'Model calls', 'Tokens', 'of daily cap', 'Cost', 'of daily cap'], u.users.map((x) => ({ cells: [x.user, x.entries, x.tokens, bar(x.tokens, u.caps.perUserDay.tokens), usd(x.costMicros), bar(x.costMicros, u.caps.perUserDay.usd)] }))),
    ]);
  },
  async audit() {
    const { entries } = await api('/ops/api/audit');
    return table(['When', 'Actor', 'Action', 'Target', 'Data'], entries.map((e) => ({ cells: [when(e.createdAt), e.actor, e.action, `${e.targetType} ${e.targetId}`, el('pre', { text: JSON.stringify(e.data) })] })));
  },
  async dead() {
    const { deadLetters } = await api('/ops/api/dead-letters');
    return table(['When', 'Run', 'Reason', 'Attempts', 'Error', 'Replayed', ''], deadLetters.map((d) => ({ cells: [when(d.createdAt), d.runId, d.reason, d.attempts, el('pre', { text: JSON.stringify(d.error) }), when(d.replayedAt),
      d.replayedAt ? '' : el('button', { class: 'primary', text: 'Replay', onclick: async (e) => { e.target.disabled = true; try { await api(`/ops/api/dead-letters/${d.id}/replay`, { method: 'POST', body: '{}' }); show('dead'); } catch (err) { alert(err.message); } } })] })));
  },
};
async function show(tab) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  $('detail').hidden = true;
  try { $('view').replaceChildren(await views[tab]()); } catch (e) { $('view').replaceChildren(el('p', { class: 'error', text: e.message })); }
}
async function showRun(run) {
  const [d, timeline] = await Promise.all([api(`/ops/api/runs/${run.id}`), api(`/ops/api/runs/${run.id}/timeline`)]);
  const r = d.run;
  $('detail').hidden = false;
  $('detail').replaceChildren(
    el('h3', { text: `Run ${r.id}` }),
    el('p', { text: `${r.user} via ${r.channel}: “${r.input}” — ${r.status}; ${r.stepsUsed} steps, ${r.tokensUsed} tokens, ${usd(r.costMicros)}; routing ${JSON.stringify(r.routing)}` }),
    r.answer ? el('pre', { text: r.answer }) : null,
    el('h4', { text: 'Timeline' }), renderTimeline(timeline, el),
    el('h4', { text: 'Plan' }), el('pre', { text: JSON.stringify(r.plan, null, 2) }),
    el('h4', { text: 'Steps' }), table(['Key', 'Tool', 'Title', 'Status', 'Error'], d.steps.map((s) => ({ cells: [s.key, s.tool, s.title, s.status, s.error ? JSON.stringify(s.error) : ''] }))),
    el('h4', { text: 'Tool calls' }), table(['Tool', 'Acting as', 'Identity', 'Status', 'Attempts', 'Duration', 'Idempotency key'], d.toolCalls.map((c) => ({ cells: [c.tool, c.actingUser, c.actingIdentity, c.status, c.attempts, c.durationMs === null ? '—' : `${c.durationMs} ms`, c.idempotencyKey.slice(0, 16)] }))),
    el('h4', { text: 'Approvals' }), table(['Action', 'Status', 'Decided by', 'When'], d.approvals.map((a) => ({ cells: [a.action, a.status, a.decidedBy, when(a.decidedAt)] }))),
  );
}
$('tabs').addEventListener('click', (e) => { if (e.target.dataset.tab) show(e.target.dataset.tab); });
$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault(); $('login-error').textContent = '';
  try { await api('/auth/login', { method: 'POST', body: JSON.stringify({ tenant, email: $('email').value, password: $('password').value }) }); $('password').value = ''; await start(); }
  catch (err) { $('login-error').textContent = err.message; }
});
$('workspace-form').addEventListener('submit', async (e) => {
  e.preventDefault(); $('login-error').textContent = '';
  tenant = $('workspace').value.trim(); await showLogin();
});
start();
