// Switchboard playground: plain ES module, no build step. All data is rendered with textContent.
const MAX_TEXT = 4000;
const $ = (id) => document.getElementById(id);
const state = { people: [], connectors: [], me: null, threadId: null, source: null, runs: new Map(), csrfToken: null };

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function api(path, options = {}) {
  // Deployed, the playground runs on the sign-in session: writes echo its CSRF token.
  const csrf = state.csrfToken ? { 'x-csrf-token': state.csrfToken } : {};
  const response = await fetch(path, { ...options, headers: { 'content-type': 'application/json', ...csrf, ...(options.headers ?? {}) } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body?.error?.message ?? `Request failed (${response.status}).`), { status: response.status });
  return body;
}

// ---- identity -------------------------------------------------------------------------------
async function loadPeople() {
  let answer;
  try {
    answer = await api('/api/web/people');
  } catch (error) {
    if (error.status !== 401) throw error;
    // Deployed: the playground acts only as the signed-in person.
    $('thread').replaceChildren(el('div', { class: 'empty' }, [el('span', { text: 'Please ' }), el('a', { href: '/ops', text: 'sign in' }), el('span', { text: ' first, then come back to this page.' })]));
    return;
  }
  const { people, connectors, mode } = answer;
  if (mode === 'signed-in') state.csrfToken = (await api('/auth/session')).csrfToken ?? null;
  state.people = people;
  state.connectors = connectors;
  const select = $('person');
  select.replaceChildren(...people.map((p) => el('option', { value: p.id, text: `${p.displayName} (${roleLabel(p.roles)})` })));
  const saved = localStorage.getItem('sb.person');
  const initial = people.find((p) => p.id === saved) ?? people[0];
  if (initial) select.value = initial.id;
  select.addEventListener('change', () => choosePerson(select.value));
  if (initial) await choosePerson(initial.id);
}

function roleLabel(roles) {
  if (roles.includes('admin')) return 'IT admin, approver';
  if (roles.includes('approver')) return 'manager, approver';
  return 'employee';
}

async function choosePerson(id) {
  state.me = state.people.find((p) => p.id === id) ?? null;
  if (!state.me) return;
  localStorage.setItem('sb.person', id);
  state.threadId = localStorage.getItem(`sb.thread.${id}`) ?? newThreadId(id);
  openThread();
  await Promise.all([refreshApprovals(), refreshConnections()]);
}

function newThreadId(personId) {
  const id = randomId();
  localStorage.setItem(`sb.thread.${personId}`, id);
  return id;
}

// ---- thread + event stream --------------------------------------------------------------------
function openThread() {
  state.source?.close();
  state.runs.clear();
  $('thread').replaceChildren(el('div', { class: 'empty', text: `Hi ${state.me.displayName.split(' ')[0]} — ask me to do something in ServiceNow, Jira, Salesforce or Okta.` }));
  setStreamState('connecting…', false);
  const url = `/api/web/threads/${encodeURIComponent(state.threadId)}/events?userId=${encodeURIComponent(state.me.id)}`;
  const source = new EventSource(url);
  state.source = source;
  source.addEventListener('run', (message) => renderEvent(JSON.parse(message.data)));
  source.addEventListener('ready', () => setStreamState('live', true));
  source.addEventListener('approvals', () => void refreshApprovals());
  source.addEventListener('error', () => setStreamState('reconnecting…', false));
}

function setStreamState(text, live) {
  const node = $('stream-state');
  node.textContent = text;
  node.classList.toggle('live', live);
}

function runView(runId, requestText) {
  let view = state.runs.get(runId);
  if (view) return view;
  $('thread').querySelector('.empty')?.remove();
  const status = el('span', { class: 'status queued', 'data-testid': 'run-status', text: 'queued' });
  const card = el('div', { class: 'run', 'data-run': runId, 'data-testid': 'run' }, [
    el('div', { class: 'run-head' }, [el('span', { text: 'Switchboard' }), status]),
  ]);
  const bubble = requestText ? el('div', { class: 'bubble user', 'data-testid': 'user-message', text: requestText }) : null;
  $('thread').append(...[bubble, card].filter(Boolean));
  view = { card, status, plan: null, steps: new Map(), answer: null, notes: el('div') };
  card.append(view.notes);
  state.runs.set(runId, view);
  return view;
}

const MARKS = { pending: '○', running: '◔', awaiting_approval: '⏸', awaiting_link: '🔗', succeeded: '✓', failed: '✕', skipped: '–', unverified: '?', denied: '✕' };

function setStep(view, stepId, status, detail) {
  const step = view.steps.get(stepId);
  if (!step) return;
  step.mark.textContent = MARKS[status] ?? '•';
  step.mark.className = `mark ${status}`;
  step.item.dataset.status = status;
  if (detail !== undefined) step.detail.textContent = detail;
}

function note(view, text, kind = '') {
  view.notes.append(el('div', { class: `note ${kind}`, 'data-testid': 'run-note', text }));
}

function renderEvent(event) {
  const view = runView(event.runId, event.type === 'run.started' ? event.text : undefined);
  switch (event.type) {
    case 'run.started': break;
    case 'run.status':
      view.status.textContent = event.status.replace(/_/g, ' ');
      view.status.className = `status ${event.status}`;
      if (event.note) note(view, event.note);
      break;
    case 'plan.created': {
      view.plan?.remove();
      const list = el('ul', { class: 'checklist', 'data-testid': 'plan' });
      view.steps.clear();
      for (const step of event.plan.steps) {
        const mark = el('span', { class: `mark ${step.status}`, text: MARKS[step.status] ?? '•' });
        const detail = el('span', { class: 'detail' });
        const item = el('li', { 'data-step': step.id, 'data-status': step.status }, [mark, el('span', { text: step.title }), detail]);
        view.steps.set(step.id, { item, mark, detail });
        list.append(item);
      }
      view.plan = el('div', {}, [event.plan.summary ? el('div', { class: 'plan-summary', text: event.plan.summary }) : null, list]);
      view.card.insertBefore(view.plan, view.notes);
      break;
    }
    case 'step.started': setStep(view, event.stepId, 'running'); break;
    case 'step.finished': setStep(view, event.stepId, 'succeeded', event.summary); break;
    case 'step.failed': setStep(view, event.stepId, 'failed', event.error.message); break;
    case 'approval.requested': {
      setStep(view, event.stepId, 'awaiting_approval');
      const names = event.approvers.map((a) => a.displayName).join(' or ');
      note(view, `Waiting for approval by ${names}: ${event.action}`);
      // The requester may withdraw the request while it waits (the server checks who asks).
      if (state.me && event.requester?.userId === state.me.id) {
        const cancel = el('button', { class: 'btn small', type: 'button', 'data-testid': 'cancel-request', text: 'Cancel request', onclick: async () => {
          cancel.disabled = true;
          try {
            await api(`/api/web/approvals/${event.approvalId}/cancel`, { method: 'POST', body: JSON.stringify({ userId: state.me.id }) });
          } catch (e) {
            cancel.disabled = false;
            note(view, e.message, 'bad');
          }
        } });
        view.cancels = { ...(view.cancels ?? {}), [event.approvalId]: cancel };
        view.notes.append(cancel);
      }
      break;
    }
    case 'approval.reminder': note(view, `No decision yet, so I reminded ${event.approvers.map((a) => a.displayName).join(', ')}.`); break;
    case 'approval.escalated': note(view, `No decision yet, so I also asked ${event.added.map((a) => a.displayName).join(', ')}.`); break;
    case 'approval.decided': {
      const by = event.decidedBy ? ` by ${event.decidedBy.displayName}` : '';
      view.cancels?.[event.approvalId]?.remove();
      const word = { approved: 'Approved', denied: 'Denied', expired: 'Expired', cancelled: 'Cancelled' }[event.decision] ?? event.decision;
      note(view, `${word}${by}: ${event.action}${event.reason ? ` (reason: ${event.reason})` : ''}`, event.decision === 'approved' ? 'ok' : 'bad');
      break;
    }
    case 'account.link_required': {
      const button = el('button', { class: 'btn small', type: 'button', text: `Connect ${event.connectorName}`, onclick: () => window.open(event.url, '_blank', 'noopener') });
      const box = el('div', { class: 'note' }, [el('span', { text: `I need your ${event.connectorName} account to continue. ` }), button]);
      view.notes.append(box);
      break;
    }
    case 'account.linked': note(view, `Account connected: ${event.connectorId}`, 'ok'); void refreshConnections(); break;
    case 'message.delta':
      if (!view.answer) { view.answer = el('div', { class: 'answer', 'data-testid': 'answer' }); view.card.append(view.answer); }
      view.answer.textContent += event.text;
      break;
    case 'run.completed':
      if (!view.answer) { view.answer = el('div', { class: 'answer', 'data-testid': 'answer' }); view.card.append(view.answer); }
      view.answer.textContent = event.text + (event.reducedMode ? '\n\n(Running in reduced mode: no model is reachable right now.)' : '');
      view.status.textContent = 'completed';
      view.status.className = 'status completed';
      break;
    case 'run.failed':
      note(view, event.message, 'bad');
      view.status.textContent = 'failed';
      view.status.className = 'status failed';
      break;
  }
  $('thread').scrollTop = $('thread').scrollHeight;
}

// ---- approvals -------------------------------------------------------------------------------
async function refreshApprovals() {
  if (!state.me) return;
  const me = state.me.id;
  const { approvals } = await api(`/api/web/approvals?userId=${encodeURIComponent(me)}`).catch(() => ({ approvals: [] }));
  if (state.me?.id !== me) return;
  $('approval-count').textContent = String(approvals.length);
  const box = $('approvals');
  if (approvals.length === 0) return box.replaceChildren(el('p', { class: 'muted', text: 'Nothing waiting for you.' }));
  box.replaceChildren(...approvals.map(approvalCard));
}

function approvalCard(approval) {
  const error = el('div', { class: 'error' });
  const decide = async (decision) => {
    try {
      await api(`/api/web/approvals/${approval.id}`, { method: 'POST', body: JSON.stringify({ userId: state.me.id, decision }) });
      await refreshApprovals();
    } catch (e) {
      error.textContent = e.message;
    }
  };
  return el('div', { class: 'card', 'data-testid': 'approval-card', 'data-approval': approval.id }, [
    el('div', { class: 'meta', text: `${approval.requester?.displayName ?? 'Someone'} asks:` }),
    el('div', { class: 'action', text: approval.action }),
    approval.view?.actingAs ? el('div', { class: 'meta', 'data-testid': 'acting-as', text: `Runs ${actingLine(approval.view.actingAs)}` }) : null,
    approval.view ? argumentList(approval.view.fields) : null,
    approval.request ? el('div', { class: 'meta', text: `“${approval.request}”` }) : null,
    el('div', { class: 'meta', text: `Why approval is needed: ${approval.reason}` }),
    el('div', { class: 'buttons' }, [
      el('button', { class: 'btn approve', type: 'button', 'data-testid': 'approve', text: 'Approve', onclick: () => decide('approve') }),
      el('button', { class: 'btn deny', type: 'button', 'data-testid': 'deny', text: 'Deny', onclick: () => decide('deny') }),
    ]),
    error,
  ]);
}

// Every argument of the action; long values folded behind "Show details" but complete. Text nodes only.
function argumentList(fields) {
  if (!fields || fields.length === 0) return null;
  return el('dl', { class: 'fields', 'data-testid': 'approval-fields' }, fields.flatMap((field) => [
    el('dt', { text: field.label }),
    el('dd', {}, [field.long
      ? el('details', {}, [el('summary', { text: `${preview(field.value)} — Show details` }), el('pre', { class: 'full', text: field.value })])
      : el('span', { text: field.value })]),
  ]));
}

function preview(value) {
  const first = value.split(/\r\n|\r|\n/, 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

function actingLine(acting) {
  const target = acting.target && acting.target !== acting.account ? `, on the account ${acting.target}` : '';
  return `as ${acting.account} in ${acting.system}${target}`;
}

// ---- connected accounts ------------------------------------------------------------------------
async function refreshConnections() {
  if (!state.me) return;
  const me = state.me.id;
  const { connections } = await api(`/api/web/connections?userId=${encodeURIComponent(me)}`).catch(() => ({ connections: [] }));
  if (state.me?.id !== me) return;
  $('connections').replaceChildren(...connections.map((c) => {
    const linked = c.status === 'active';
    const action = el('button', { class: 'btn small secondary', type: 'button', text: linked ? 'Reconnect' : 'Connect', onclick: () => startLink(c.id) });
    return el('li', { 'data-connector': c.id }, [
      el('span', { text: c.displayName }),
      el('span', {}, [el('span', { class: `badge ${linked ? 'linked' : c.status}`, text: linked ? 'connected' : 'not connected' }), ' ', action]),
    ]);
  }));
}

async function startLink(connectorId) {
  try {
    const { url } = await api('/api/web/links', { method: 'POST', body: JSON.stringify({ userId: state.me.id, connectorId }) });
    window.open(url, '_blank', 'noopener');
    window.addEventListener('focus', () => void refreshConnections(), { once: true });
  } catch (e) {
    $('send-error').textContent = e.message;
  }
}

// ---- composer ----------------------------------------------------------------------------------
function wireComposer() {
  const text = $('text');
  const counter = $('counter');
  text.addEventListener('input', () => {
    counter.textContent = `${text.value.length} / ${MAX_TEXT}`;
    counter.classList.toggle('error', text.value.length > MAX_TEXT);
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); }
  });
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    $('send-error').textContent = '';
    if (!value || !state.me) return;
    $('send').disabled = true;
    try {
      const result = await api('/api/web/messages', {
        method: 'POST',
        body: JSON.stringify({ userId: state.me.id, threadId: state.threadId, clientMessageId: randomId(), text: value }),
      });
      if (result.runId) runView(result.runId, value);
      text.value = '';
      counter.textContent = `0 / ${MAX_TEXT}`;
    } catch (err) {
      $('send-error').textContent = err.message;
    } finally {
      $('send').disabled = false;
    }
  });
  for (const button of document.querySelectorAll('#suggestions button')) {
    button.addEventListener('click', () => { text.value = button.textContent; text.focus(); });
  }
  $('new-thread').addEventListener('click', () => {
    if (!state.me) return;
    state.threadId = newThreadId(state.me.id);
    openThread();
  });
}

wireComposer();
loadPeople().catch((e) => { $('send-error').textContent = e.message; });
