// The reviewers' console: sign in with a key, a live inbox of PENDING actions (WatchActions), decisions, and the
// decided and executed actions with their audit trail. Plain DOM; every server string goes through textContent.
import { Api, ApiError } from './api.js';
import { h, fill } from './dom.js';
import { lineDiff, payloadOf, prettyText, stringifyExact } from './json.js';
import { startWatch } from './live.js';

const KEY_STORAGE = 'aegis.console.key';
const $ = (id) => document.getElementById(id);

const STATE_LABELS = {
  ACTION_STATE_PENDING: 'Pending',
  ACTION_STATE_APPROVED: 'Approved',
  ACTION_STATE_REJECTED: 'Rejected',
  ACTION_STATE_EXPIRED: 'Expired',
  ACTION_STATE_EXECUTING: 'Executing',
  ACTION_STATE_COMMITTED: 'Committed',
  ACTION_STATE_FAILED: 'Failed',
};

const state = {
  api: null,
  watch: null,
  actions: new Map(),   // request_id → { action, seq }: every action heard of (the inbox shows the PENDING ones)
  seq: 0,
  detailId: null,       // the action shown in the detail pane
  history: [],          // the current page(s) of the decided & executed list
  historyToken: '',
  historyLoad: 0,       // numbers the list loads, so only the latest one applies
  elsewhere: new Map(), // request_id → action, for actions seen only in a thread's list
  audit: new Map(),     // request_id → { version, events (null: no audit API) }
  renderQueued: false,
};

// --- small helpers ----------------------------------------------------------------------------------------------

const label = (s) => STATE_LABELS[s] ?? String(s ?? '').replace('ACTION_STATE_', '').toLowerCase();
const lower = (s, prefix) => String(s ?? '').replace(prefix, '').toLowerCase();

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

function countdown(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return 'deadline passed';
  const s = Math.floor(ms / 1000);
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'm'], [s % 60, 's']];
  const first = parts.findIndex(([v]) => v > 0);
  return 'due in ' + parts.slice(Math.max(0, first), Math.max(0, first) + 2).map(([v, u]) => `${v}${u}`).join(' ');
}

function announce(text) {
  const a = $('announcer');
  a.textContent = '';
  // A fresh node is announced even when the same text repeats.
  requestAnimationFrame(() => { a.textContent = text; });
}

function stateBadge(s) {
  return h('span', { class: `badge state-${lower(s, 'ACTION_STATE_')}`, text: label(s) });
}

function deadlineSpan(action) {
  if (!action.decision_deadline || action.state !== 'ACTION_STATE_PENDING') return null;
  return h('span', { class: 'deadline', dataset: { deadline: action.decision_deadline }, text: countdown(action.decision_deadline) });
}

function requiredApprovals(action) {
  return Number(action.required_approvals ?? 0);
}

// --- sign in / out ----------------------------------------------------------------------------------------------

async function signIn(key) {
  const api = new Api(key);
  // One cheap call proves the key; a refused key never reaches session storage.
  await api.listActions({ pageSize: 1 });
  state.api = api;
  sessionStorage.setItem(KEY_STORAGE, key);
  $('who').textContent = `key ${key.slice(0, 12)}…`;
  $('signin').hidden = true;
  $('session').hidden = false;
  $('app').hidden = false;
  state.watch = startWatch(api, {
    onLive: () => resync().catch(showError),
    onMessage,
    onStatus: (s, detail) => {
      const conn = $('conn');
      conn.textContent = s === 'live' ? 'live' : detail ? `${s} (${detail})` : s;
      conn.dataset.state = s;
    },
    onUnauthorized: () => signOut('The key was refused (revoked?). Sign in again.'),
  });
  selectTab('inbox');
  $('tab-inbox').focus();
}

function signOut(message = '') {
  state.watch?.stop();
  sessionStorage.removeItem(KEY_STORAGE);
  Object.assign(state, { api: null, watch: null, detailId: null, history: [], historyToken: '' });
  state.actions.clear();
  state.audit.clear();
  state.elsewhere.clear();
  threadShown = { id: null, node: null };
  fill($('inbox'));
  fill($('history'));
  fill($('detail'), h('p', { class: 'empty', text: 'Select an action to see its payload, its history and the decision.' }));
  delete $('detail').dataset.id;
  $('app').hidden = true;
  $('session').hidden = true;
  $('signin').hidden = false;
  $('key').value = '';
  $('signin-error').textContent = message;
  $('key').focus();
}

function showError(e) {
  if (e instanceof ApiError && e.status === 401) {
    signOut('The key was refused. Sign in again.');
    return;
  }
  announce(e?.message ?? String(e));
}

// --- the live inbox ---------------------------------------------------------------------------------------------

function upsert(action) {
  const current = state.actions.get(action.request_id);
  if (current && Number(current.action.version) > Number(action.version)) return current.action;
  state.actions.set(action.request_id, { action, seq: ++state.seq });
  queueRender();
  return action;
}

function onMessage(message) {
  if (message.kind !== 'WATCH_EVENT_KIND_TRANSITION' || !message.action) return;
  const known = state.actions.has(message.action.request_id);
  const action = upsert(message.action);
  if (!known && action.state === 'ACTION_STATE_PENDING') {
    announce(`New request ${action.idempotency_key} on thread ${action.thread_id}`);
  }
}

// Runs each time the stream (re)connects, after its first message: the subscription is live, so listing now misses
// nothing. A PENDING action the list no longer has, and the stream has not touched since, was decided while the
// stream was down.
async function resync() {
  const started = state.seq;
  const pending = await state.api.listPending();
  const ids = new Set(pending.map((a) => a.request_id));
  pending.forEach(upsert);
  for (const [id, entry] of state.actions) {
    if (entry.action.state === 'ACTION_STATE_PENDING' && !ids.has(id) && entry.seq <= started) state.actions.delete(id);
  }
  queueRender();
}

function pendingActions() {
  return [...state.actions.values()].map((e) => e.action)
    .filter((a) => a.state === 'ACTION_STATE_PENDING')
    // Soonest deadline first, then the longest waiting.
    .sort((a, b) => (a.decision_deadline ? Date.parse(a.decision_deadline) : Infinity) - (b.decision_deadline ? Date.parse(b.decision_deadline) : Infinity)
      || Date.parse(a.created_at) - Date.parse(b.created_at));
}

function queueRender() {
  if (state.renderQueued) return;
  state.renderQueued = true;
  queueMicrotask(() => {
    state.renderQueued = false;
    renderInbox();
    renderDetailIfChanged();
  });
}

function itemButton(action, list) {
  const quorum = requiredApprovals(action) > 1
    ? h('span', { class: 'badge quorum', text: `${(action.approvals ?? []).length}/${requiredApprovals(action)} approvals` }) : null;
  return h('li', {},
    h('button', {
      type: 'button',
      class: 'item' + (action.request_id === state.detailId ? ' selected' : ''),
      dataset: { id: action.request_id, list },
      'aria-current': action.request_id === state.detailId ? 'true' : null,
      onclick: () => openDetail(action.request_id, true),
    },
    h('span', { class: 'item-head' }, h('strong', { class: 'key', text: action.idempotency_key }), stateBadge(action.state), quorum),
    h('span', { class: 'item-meta' },
      h('span', { class: 'thread', text: `thread ${action.thread_id}` }),
      h('span', { class: 'created', text: when(action.created_at) }),
      deadlineSpan(action)),
    action.comment_for_reviewer ? h('span', { class: 'item-comment', text: action.comment_for_reviewer }) : null));
}

function renderList(ul, actions, list) {
  const focusedId = document.activeElement?.dataset?.list === list ? document.activeElement.dataset.id : null;
  fill(ul, actions.map((a) => itemButton(a, list)));
  if (focusedId) ul.querySelector(`button[data-id="${CSS.escape(focusedId)}"]`)?.focus();
}

function renderInbox() {
  const pending = pendingActions();
  renderList($('inbox'), pending, 'inbox');
  $('inbox-empty').hidden = pending.length > 0;
  $('inbox-count').textContent = String(pending.length);
}

// --- the detail pane --------------------------------------------------------------------------------------------

function findAction(id) {
  return state.actions.get(id)?.action ?? state.history.find((a) => a.request_id === id) ?? state.elsewhere.get(id) ?? null;
}

let shownVersion = null;

function renderDetailIfChanged() {
  const action = state.detailId && findAction(state.detailId);
  if (!action) return;
  const version = `${action.request_id}@${action.version}@${state.audit.get(action.request_id)?.version ?? ''}`;
  if (version !== shownVersion) renderDetail(action);
}

async function openDetail(id, focus) {
  state.detailId = id;
  const action = findAction(id);
  if (!action) return;
  renderDetail(action);
  renderInbox();
  renderHistoryList();
  if (focus) $('detail-title')?.focus();
  await loadAudit(action);
}

async function loadAudit(action) {
  try {
    const events = await state.api.auditEvents(action.request_id);
    state.audit.set(action.request_id, { version: action.version, events });
  } catch (e) {
    state.audit.set(action.request_id, { version: action.version, events: null, error: e?.message ?? String(e) });
  }
  if (state.detailId === action.request_id) renderDetailIfChanged();
}

function renderDetail(action) {
  const pane = $('detail');
  // Re-rendering after a transition keeps what the reviewer was typing and where the focus was.
  // Only for the same action: a comment written for one action must never carry over to another.
  const same = pane.dataset.id === action.request_id;
  const kept = {};
  if (same) pane.querySelectorAll('input, textarea').forEach((el) => { kept[el.id] = el.type === 'checkbox' ? el.checked : el.value; });
  const focusedId = same && pane.contains(document.activeElement) ? document.activeElement.id : null;
  pane.dataset.id = action.request_id;
  shownVersion = `${action.request_id}@${action.version}@${state.audit.get(action.request_id)?.version ?? ''}`;

  fill(pane,
    h('header', { class: 'detail-head' },
      h('h2', { id: 'detail-title', tabindex: '-1', text: action.idempotency_key }),
      stateBadge(action.state)),
    h('dl', { class: 'facts' },
      fact('Request id', h('code', { text: action.request_id })),
      fact('Thread', action.thread_id),
      fact('Created', when(action.created_at)),
      action.decision_deadline && action.state === 'ACTION_STATE_PENDING' ? fact('Deadline', [when(action.decision_deadline), ' ', deadlineSpan(action),
        ` (then ${lower(action.on_timeout, 'DECISION_OUTCOME_') || 'reject'})`]) : null,
      action.reviewer_group ? fact('Reviewer group', action.reviewer_group) : null,
      fact('Payload hash', h('code', { text: action.payload_hash ?? '' }))),
    action.comment_for_reviewer ? h('section', { class: 'agent-comment', 'aria-labelledby': 'agent-comment-title' },
      h('h3', { id: 'agent-comment-title', text: "Agent's comment" }),
      h('p', { text: action.comment_for_reviewer })) : null,
    quorumSection(action),
    payloadSection(action),
    decisionSection(action),
    executionSection(action),
    action.state === 'ACTION_STATE_PENDING' ? decideForm(action) : null,
    historySection(action),
    threadSection(action));

  for (const [id, value] of Object.entries(kept)) {
    const el = document.getElementById(id);
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = value; else el.value = value;
  }
  if (focusedId) document.getElementById(focusedId)?.focus();
}

function fact(name, value) {
  return [h('dt', { text: name }), h('dd', {}, value)];
}

function quorumSection(action) {
  const required = requiredApprovals(action);
  if (required <= 1) return null;
  const approvals = action.approvals ?? [];
  return h('section', { class: 'quorum', 'aria-labelledby': 'quorum-title' },
    h('h3', { id: 'quorum-title', text: `Approvals: ${approvals.length} of ${required}` }),
    h('progress', { max: String(required), value: String(approvals.length), 'aria-labelledby': 'quorum-title' }),
    h('ul', {}, approvals.map((a) => h('li', {},
      h('strong', { text: a.principal }), ` at ${when(a.approved_at)}`, a.comment ? h('q', { text: a.comment }) : null))));
}

function payloadSection(action) {
  const current = stringifyExact(payloadOf(action), 2);
  const edit = action.edit;
  if (!edit) {
    return h('section', { 'aria-labelledby': 'payload-title' },
      h('h3', { id: 'payload-title', text: 'Payload' }),
      h('pre', { class: 'json', tabindex: '0', 'aria-label': 'Payload, JSON', text: current }));
  }
  const diff = lineDiff(prettyText(edit.original_payload_json ?? '{}'), current);
  return h('section', { 'aria-labelledby': 'payload-title' },
    h('h3', { id: 'payload-title', text: 'Payload (edited)' }),
    h('p', { class: 'edit-note' }, `Edited by ${edit.edited_by ?? 'unknown'} at ${when(edit.edited_at)}`,
      edit.comment ? [': ', h('q', { text: edit.comment })] : null),
    h('pre', { class: 'json diff', tabindex: '0', 'aria-label': 'Payload changes: lines starting with minus were removed, plus were added' },
      diff.map((d) => h('span', { class: d.op === '+' ? 'ins' : d.op === '-' ? 'del' : 'same', text: `${d.op} ${d.text}\n` }))));
}

function decisionSection(action) {
  const d = action.decision;
  if (!d || !d.outcome || d.outcome === 'DECISION_OUTCOME_UNSPECIFIED') return null;
  const method = lower(d.method, 'DECISION_METHOD_');
  return h('section', { 'aria-labelledby': 'decision-title' },
    h('h3', { id: 'decision-title', text: 'Decision' }),
    h('dl', { class: 'facts' },
      fact('Outcome', lower(d.outcome, 'DECISION_OUTCOME_')),
      fact('By', `${d.principal ?? ''} (${method}${d.policy ? `: ${d.policy}` : ''})`),
      fact('At', when(d.decided_at)),
      d.comment ? fact('Comment', d.comment) : null,
      d.reason ? fact('Reason', d.reason) : null,
      d.outcome === 'DECISION_OUTCOME_REJECT' ? fact('Agent may retry', d.retryable ? 'yes, with a changed action' : 'no') : null));
}

function executionSection(action) {
  const x = action.execution;
  if (!x || (!x.result && !x.error && !Number(x.attempts) && !Number(x.fencing_token))) return null;
  return h('section', { 'aria-labelledby': 'execution-title' },
    h('h3', { id: 'execution-title', text: 'Execution' }),
    h('dl', { class: 'facts' },
      fact('Attempts without a result', String(x.attempts ?? 0)),
      x.lease_expires_at ? fact('Lease ends', when(x.lease_expires_at)) : null),
    x.result !== undefined ? [h('h4', { text: 'Result' }), h('pre', { class: 'json', tabindex: '0', text: stringifyExact(x.result, 2) })] : null,
    x.error !== undefined ? [h('h4', { text: 'Error' }), h('pre', { class: 'json', tabindex: '0', text: stringifyExact(x.error, 2) })] : null);
}

function decideForm(action) {
  const status = h('p', { id: 'decide-status', class: 'decide-status', role: 'status' });
  const submitOnCtrlEnter = (outcome) => (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); decide(action, outcome, status); }
  };
  return h('section', { class: 'decide', 'aria-labelledby': 'decide-title' },
    h('h3', { id: 'decide-title', text: 'Decide' }),
    h('div', { class: 'decide-comment' },
      h('label', { for: 'approve-comment', text: 'Comment (optional, stored with the decision)' }),
      h('textarea', { id: 'approve-comment', rows: '2', onkeydown: submitOnCtrlEnter('approve') })),
    h('div', { class: 'decide-approve' },
      h('button', { id: 'approve', type: 'button', class: 'approve', onclick: () => decide(action, 'approve', status) }, 'Approve')),
    h('div', { class: 'decide-reject' },
      h('label', { for: 'reject-reason', text: 'Reason for the agent (rejections)' }),
      h('input', { id: 'reject-reason', type: 'text', maxlength: '1024', onkeydown: submitOnCtrlEnter('reject') }),
      h('label', { class: 'check' },
        h('input', { id: 'reject-final', type: 'checkbox' }), ' Do not retry (the agent must not try a changed action)'),
      h('button', { id: 'reject', type: 'button', class: 'reject', onclick: () => decide(action, 'reject', status) }, 'Reject')),
    status);
}

const DECIDE_ERRORS = {
  DUPLICATE_KEY: 'Someone decided it first; shown as decided.',
  DECISION_DEADLINE_PASSED: 'Its deadline passed: its on-timeout outcome applies.',
  PAYLOAD_MISMATCH: 'The payload changed since it was shown: nothing was decided. Review it again.',
};

async function decide(action, outcome, status) {
  const buttons = $('detail').querySelectorAll('.decide button');
  buttons.forEach((b) => { b.disabled = true; });
  status.textContent = outcome === 'approve' ? 'Approving…' : 'Rejecting…';
  const comment = $('approve-comment').value.trim();
  const reason = $('reject-reason').value.trim();
  const retryable = !$('reject-final').checked;
  try {
    const decided = await state.api.decide(action, outcome, { comment, reason, retryable });
    upsert(decided);
    const quorum = decided.state === 'ACTION_STATE_PENDING' && requiredApprovals(decided) > 1;
    const text = quorum
      ? `Approval recorded for ${decided.idempotency_key}: ${(decided.approvals ?? []).length} of ${requiredApprovals(decided)}.`
      : `${label(decided.state)}: ${decided.idempotency_key}.`;
    renderDetail(findAction(decided.request_id) ?? decided);
    $('detail-title').focus();
    announce(text);
    loadAudit(decided);
  } catch (e) {
    if (e instanceof ApiError && e.action) upsert(e.action);
    if (e instanceof ApiError && e.status === 401) { signOut('The key was refused. Sign in again.'); return; }
    const message = e instanceof ApiError && e.status === 403
      ? 'This key may not decide: it needs the reviewer role.'
      : DECIDE_ERRORS[e?.reason] ?? `Not decided: ${e?.message ?? e}`;
    const current = $('decide-status') ?? status;
    current.textContent = message;
    $('detail').querySelectorAll('.decide button').forEach((b) => { b.disabled = false; });
    announce(message);
  }
}

function historySection(action) {
  const audit = state.audit.get(action.request_id);
  let body;
  if (!audit) body = h('p', { class: 'muted', text: 'Loading the audit trail…' });
  else if (audit.error) body = h('p', { class: 'error', text: `The audit trail could not be read: ${audit.error}` });
  else if (audit.events === null) body = [h('p', { class: 'muted', text: 'Audit trail not available on this server; from the action itself:' }), timeline(action)];
  else if (audit.events.length === 0) body = h('p', { class: 'muted', text: 'No audit events recorded for this action.' });
  else {
    body = h('ol', { class: 'events' }, audit.events.map((e) => h('li', {},
      h('span', { class: 'event-kind', text: e.kind }),
      h('span', { class: 'event-actor', text: ` by ${e.actor?.principal ?? 'unknown'}${e.actor?.method ? ` (${e.actor.method})` : ''}` }),
      h('time', { datetime: e.occurred_at, text: ` ${when(e.occurred_at)}` }),
      e.after ? h('pre', { class: 'json small', text: stringifyExact(e.after, 2) }) : null)));
  }
  return h('section', { 'aria-labelledby': 'history-title' }, h('h3', { id: 'history-title', text: 'History' }), body);
}

function timeline(action) {
  const items = [[action.created_at, `created on thread ${action.thread_id}`]];
  for (const a of action.approvals ?? []) items.push([a.approved_at, `approval by ${a.principal}`]);
  if (action.edit) items.push([action.edit.edited_at, `payload edited by ${action.edit.edited_by}`]);
  if (action.decision?.decided_at) {
    items.push([action.decision.decided_at,
      `${lower(action.decision.outcome, 'DECISION_OUTCOME_')} by ${action.decision.principal} (${lower(action.decision.method, 'DECISION_METHOD_')})`]);
  }
  if (action.updated_at && action.updated_at !== action.created_at) items.push([action.updated_at, `last change: now ${label(action.state)}`]);
  items.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]));
  return h('ol', { class: 'events' }, items.map(([t, text]) => h('li', {}, h('time', { datetime: t, text: when(t) }), ` ${text}`)));
}

// The thread's other actions are read once per opened action: re-rendering the detail (a transition, the audit trail
// arriving) reuses the section instead of asking again.
let threadShown = { id: null, node: null };

function threadSection(action) {
  if (threadShown.id === action.request_id) return threadShown.node;
  const list = h('ul', { class: 'thread-list', 'aria-label': `Other actions on thread ${action.thread_id}` },
    h('li', { class: 'muted', text: 'Loading…' }));
  state.api.listActions({ thread: action.thread_id, pageSize: 10 }).then((page) => {
    const others = (page.actions ?? []).filter((a) => a.request_id !== action.request_id);
    if (others.length === 0) { fill(list, h('li', { class: 'muted', text: 'No other action on this thread.' })); return; }
    others.forEach((a) => state.elsewhere.set(a.request_id, a));
    fill(list, others.map((a) => h('li', {},
      h('button', { type: 'button', class: 'link', onclick: () => openDetail(a.request_id, true) }, a.idempotency_key),
      ' ', stateBadge(a.state), ` ${when(a.created_at)}`)));
  }).catch((e) => fill(list, h('li', { class: 'error', text: e?.message ?? String(e) })));
  const node = h('section', { 'aria-labelledby': 'thread-title' }, h('h3', { id: 'thread-title', text: 'On the same thread' }), list);
  threadShown = { id: action.request_id, node };
  return node;
}

// --- decided & executed -----------------------------------------------------------------------------------------

function localToIso(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

async function loadHistory(append) {
  const form = $('filters');
  const filters = {
    state: form.state.value,
    thread: form.thread.value.trim(),
    since: localToIso(form.since.value),
    before: localToIso(form.before.value),
  };
  $('history-error').textContent = '';
  // Only the latest load applies: an earlier one (other filters) that answers late must not overwrite it.
  const load = ++state.historyLoad;
  try {
    const page = await state.api.listActions({ ...filters, pageSize: 50, pageToken: append ? state.historyToken : '' });
    if (load !== state.historyLoad) return;
    state.history = append ? [...state.history, ...(page.actions ?? [])] : (page.actions ?? []);
    state.historyToken = page.next_page_token ?? '';
    renderHistoryList();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { signOut('The key was refused. Sign in again.'); return; }
    $('history-error').textContent = e?.message ?? String(e);
  }
}

function renderHistoryList() {
  const rows = state.history.map((a) => state.actions.get(a.request_id)?.action ?? a);
  renderList($('history'), rows, 'history');
  $('history-empty').hidden = rows.length > 0;
  $('more').hidden = !state.historyToken;
}

// --- tabs and keyboard ------------------------------------------------------------------------------------------

function selectTab(name) {
  for (const tab of ['inbox', 'history']) {
    const selected = tab === name;
    $(`tab-${tab}`).setAttribute('aria-selected', String(selected));
    $(`tab-${tab}`).tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
  }
  if (name === 'history' && state.history.length === 0) loadHistory(false);
}

function moveSelection(step) {
  const list = $('panel-inbox').hidden ? $('history') : $('inbox');
  const buttons = [...list.querySelectorAll('button.item')];
  if (buttons.length === 0) return;
  const at = buttons.findIndex((b) => b === document.activeElement || b.dataset.id === state.detailId);
  const next = buttons[Math.min(buttons.length - 1, Math.max(0, at + step))] ?? buttons[0];
  next.focus();
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || $('app').hidden) return;
  const typing = e.target.closest('input, textarea, select');
  if (typing) return;
  const keys = {
    j: () => moveSelection(1),
    k: () => moveSelection(-1),
    ArrowDown: () => e.target.closest('.items') && moveSelection(1),
    ArrowUp: () => e.target.closest('.items') && moveSelection(-1),
    a: () => $('approve-comment')?.focus(),
    r: () => $('reject-reason')?.focus(),
    1: () => { selectTab('inbox'); $('tab-inbox').focus(); },
    2: () => { selectTab('history'); $('tab-history').focus(); },
  };
  const action = keys[e.key];
  if (action) { e.preventDefault(); action(); }
}

function onTabKey(e) {
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    const next = e.currentTarget.id === 'tab-inbox' ? 'history' : 'inbox';
    selectTab(next);
    $(`tab-${next}`).focus();
    e.preventDefault();
  }
}

// --- start ------------------------------------------------------------------------------------------------------

function start() {
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('key').value.trim();
    $('signin-error').textContent = '';
    if (!key) { $('signin-error').textContent = 'Enter a reviewer API key.'; return; }
    try {
      await signIn(key);
    } catch (err) {
      $('signin-error').textContent = err instanceof ApiError && err.status === 401
        ? 'This key was refused: unknown or revoked.' : `Could not sign in: ${err?.message ?? err}`;
    }
  });
  $('signout').addEventListener('click', () => signOut());
  $('tab-inbox').addEventListener('click', () => selectTab('inbox'));
  $('tab-history').addEventListener('click', () => selectTab('history'));
  $('tab-inbox').addEventListener('keydown', onTabKey);
  $('tab-history').addEventListener('keydown', onTabKey);
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); loadHistory(false); });
  $('more').addEventListener('click', () => loadHistory(true));
  document.addEventListener('keydown', onKey);
  // The countdowns tick locally; the server is not asked again.
  setInterval(() => {
    const now = Date.now();
    document.querySelectorAll('[data-deadline]').forEach((el) => { el.textContent = countdown(el.dataset.deadline, now); });
  }, 1000);

  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) {
    signIn(saved).catch(() => signOut('Your session ended. Sign in again.'));
  } else {
    $('key').focus();
  }
}

start();
