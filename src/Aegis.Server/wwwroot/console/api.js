// The console's REST client: the same API agents and SDKs use, with the reviewer's key as a bearer token.
import { parseExact, payloadOf, stringifyExact } from './json.js';

/** A refused call: HTTP status plus the stable `reason` of the google.rpc.Status body when there is one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.reason = body?.reason || '';
    this.action = body?.action || null;
  }
}

// crypto.randomUUID needs a secure context; a console opened over plain http on another host has none.
function requestId() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class Api {
  constructor(key) { this.key = key; }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.key}`, 'X-Request-Id': requestId(), Accept: 'application/json', ...extra };
  }

  async call(method, path, { params = {}, body } = {}) {
    const init = { method, headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    if (body !== undefined) init.body = body;
    const res = await fetch(path + query(params), init);
    const text = await res.text();
    let json = null;
    try { json = text ? parseExact(text) : null; } catch { json = null; }
    if (!res.ok) throw new ApiError(res.status, json);
    return json ?? {};
  }

  /** One page of ListActions: {actions, next_page_token}. */
  listActions({ state, thread, since, before, pageSize = 50, pageToken } = {}) {
    return this.call('GET', '/api/v1/hitl/actions', {
      params: { state, thread_id: thread, created_since: since, created_before: before, page_size: pageSize, page_token: pageToken },
    });
  }

  /** Every PENDING action (all pages). */
  async listPending() {
    const all = [];
    let token = '';
    do {
      const page = await this.listActions({ state: 'ACTION_STATE_PENDING', pageSize: 100, pageToken: token });
      all.push(...(page.actions ?? []));
      token = page.next_page_token ?? '';
    } while (token);
    return all;
  }

  /**
   * Approve or Reject an existing action. The payload the reviewer saw is restated, so the server refuses the
   * decision (422 PAYLOAD_MISMATCH) rather than let it apply to any other payload.
   */
  decide(action, outcome, { comment, reason, retryable } = {}) {
    const verb = outcome === 'approve' ? 'approve' : 'reject';
    const params = { idempotency_key: action.idempotency_key, thread_id: action.thread_id, comment };
    if (verb === 'reject') Object.assign(params, { reason, retryable: retryable ? 'true' : 'false' });
    return this.call('POST', `/api/v1/hitl/${verb}`, { params, body: stringifyExact(payloadOf(action)) });
  }

  /** The action's audit events, or null when this server has no audit API (404 on the route). */
  async auditEvents(requestId) {
    try {
      const page = await this.call('GET', '/api/v1/audit/events', { params: { request_id: requestId, page_size: 100 } });
      return page.events ?? [];
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501)) return null;
      throw e;
    }
  }

  /** Opens the tenant-wide stream (WatchActions, newline-delimited JSON). */
  openWatch(signal) {
    return fetch('/api/v1/hitl/watch', { headers: this.headers(), signal });
  }
}
