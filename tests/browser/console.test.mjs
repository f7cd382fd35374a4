// The reviewers' console in a real browser (Debian's Chromium through playwright-core) against a real server on
// PostgreSQL: sign in, the live inbox, a decision that reaches the agent's watch, hostile payloads shown as text,
// the decided list with its filters. Run by scripts/test (`npm test` here, with the run's services in the env).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { launchBrowser, newTenant, requestApproval, rest, signIn, startProxy, startServer, watchDecision } from './harness.mjs';

const WAIT = { timeout: 15_000 };
let server;
let browser;

before(async () => {
  // Heartbeats every second, so a revoked key is noticed on an open stream within the test's patience; one signup
  // (a new tenant) per test, more than the default limit per address.
  server = await startServer({ settings: { Aegis__Notifications__HeartbeatSeconds: '1', Aegis__Signup__PermitLimit: '1000' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page whose uncaught errors, dialogs and CSP violations fail the test that opened it. */
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`); });
  return { page, context, problems };
}

test('a reviewer signs in, sees a new request arrive live, approves it with a comment, and the agent hears it', async () => {
  const tenant = await newTenant(server.url);
  const { page, context, problems } = await openPage();
  try {
    const response = await signIn(page, server.url, tenant.reviewer);
    const headers = response.headers();
    assert.match(headers['content-security-policy'], /default-src 'self'/);
    assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(await page.evaluate(() => sessionStorage.length), 1);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    // Set after the page loaded: a reload would clear it.
    await page.evaluate(() => { window.loadedOnce = true; });
    let navigations = 0;
    page.on('framenavigated', () => { navigations += 1; });

    // The agent asks after the page is up, and watches for its decision.
    const pending = await requestApproval(server.url, tenant.agent, {
      key: 'wire-' + randomUUID().slice(0, 8), thread: 'invoice-run-7',
      payloadJson: '{"amount": 12345678901234567890, "currency": "EUR", "to": "DE89 3704 0044 0532 0130 00"}',
      comment: 'New payee: first transfer to this IBAN',
    });
    const watch = watchDecision(server.url, tenant.agent, pending.request_id);
    await watch.snapshot;

    const item = page.locator(`#inbox button[data-id="${pending.request_id}"]`);
    await item.waitFor(WAIT);
    assert.equal(await page.evaluate(() => window.loadedOnce), true);
    assert.equal(navigations, 0);
    assert.equal(await page.locator('#inbox-count').textContent(), '1');

    // Keyboard only: j focuses the first item, Enter opens it, a focuses the comment, Ctrl+Enter approves.
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.locator('#detail-title').waitFor(WAIT);
    assert.equal(await page.locator('#detail-title').textContent(), pending.idempotency_key);
    assert.match(await page.locator('#detail').getByLabel('Payload, JSON').textContent(), /"amount": 12345678901234567890/);
    assert.match(await page.locator('#detail').textContent(), /New payee: first transfer to this IBAN/);
    assert.match(await page.locator('#detail .deadline').textContent(), /^due in (59m|1h)/);
    // This server sends no quorum or edit fields: no quorum bar, no diff.
    assert.equal(await page.locator('#detail progress, #detail pre.diff').count(), 0);
    await page.keyboard.press('a');
    await page.keyboard.type('Checked the IBAN with the supplier by phone');
    await page.keyboard.press('Control+Enter');

    const decided = await Promise.race([
      watch.decided,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the agent heard no decision')), 15_000)),
    ]);
    assert.equal(decided.state, 'ACTION_STATE_APPROVED');
    assert.equal(decided.decision.outcome, 'DECISION_OUTCOME_APPROVE');
    assert.equal(decided.decision.comment, 'Checked the IBAN with the supplier by phone');
    assert.equal(decided.decision.principal, `key:${tenant.reviewerId}`);
    await page.locator('#detail .detail-head .badge', { hasText: 'Approved' }).waitFor(WAIT);
    await item.waitFor({ state: 'detached', ...WAIT });
    assert.equal(await page.locator('#inbox-count').textContent(), '0');
    watch.close();

    // Signing out forgets the key.
    await page.locator('#signout').click();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.locator('#signin').isVisible(), true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('payload and comment strings holding markup are shown as text; a rejection carries its reason and do-not-retry', async () => {
  const tenant = await newTenant(server.url);
  const { page, context, problems } = await openPage();
  try {
    await signIn(page, server.url, tenant.reviewer);
    const hostile = '<script>window.pwned = 1; alert(1)</script>';
    const pending = await requestApproval(server.url, tenant.agent, {
      key: 'email-' + randomUUID().slice(0, 8), thread: 'support-42',
      payloadJson: JSON.stringify({ subject: hostile, body: '<img src=x onerror="window.pwned = 2">' }),
      comment: '<b>urgent</b><script>window.pwned = 3</script>',
    });

    await page.locator(`#inbox button[data-id="${pending.request_id}"]`).click(WAIT);
    const payload = await page.locator('#detail').getByLabel('Payload, JSON').textContent();
    assert.ok(payload.includes(`"subject": ${JSON.stringify(hostile)}`), payload);
    assert.ok(payload.includes('<img src=x onerror=\\"window.pwned = 2\\">'), payload);
    assert.ok((await page.locator('#detail .agent-comment p').textContent()).includes('<script>window.pwned = 3</script>'));
    assert.equal(await page.locator('#detail script, #detail img, #detail b, #inbox script, #inbox b').count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);

    await page.locator('#reject-reason').fill('Customer emails go through the ticket system');
    await page.locator('#reject-final').check();
    await page.locator('#reject').click();
    await page.locator('#detail .detail-head .badge', { hasText: 'Rejected' }).waitFor(WAIT);

    const stored = await rest(server.url, 'GET', `/api/v1/hitl/status/${pending.request_id}`, { key: tenant.agent });
    assert.equal(stored.json.state, 'ACTION_STATE_REJECTED');
    assert.equal(stored.json.decision.reason, 'Customer emails go through the ticket system');
    assert.equal(stored.json.decision.retryable ?? false, false);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('decided and executed actions are listed by state, thread and creation time, each with its history', async () => {
  const tenant = await newTenant(server.url);
  const thread = 'deploy-' + randomUUID().slice(0, 8);
  const approved = await requestApproval(server.url, tenant.agent, { key: 'drop-staging', thread, payloadJson: '{"sql": "DROP TABLE staging_orders"}' });
  const rejected = await requestApproval(server.url, tenant.agent, { key: 'drop-prod', thread, payloadJson: '{"sql": "DROP TABLE orders"}' });
  await requestApproval(server.url, tenant.agent, { key: 'elsewhere', thread: 'other-thread', payloadJson: '{}' });
  const decide = (verb, a, query = '') => rest(server.url, 'POST',
    `/api/v1/hitl/${verb}?idempotency_key=${a.idempotency_key}&thread_id=${thread}${query}`, { key: tenant.reviewer, body: {} });
  assert.equal((await decide('approve', approved, '&comment=staging%20only')).status, 202);
  assert.equal((await decide('reject', rejected, '&reason=never%20in%20prod')).status, 202);

  const { page, context, problems } = await openPage();
  try {
    await signIn(page, server.url, tenant.reviewer);
    await page.keyboard.press('2');
    await page.locator('#f-thread').fill(thread);
    await page.locator('#f-state').selectOption('ACTION_STATE_REJECTED');
    await page.locator('#filters button[type="submit"]').click();
    await page.locator(`#history button[data-id="${approved.request_id}"]`).waitFor({ state: 'detached', ...WAIT });
    await page.locator(`#history button[data-id="${rejected.request_id}"]`).waitFor(WAIT);
    assert.equal(await page.locator('#history button.item').count(), 1);

    await page.locator('#f-state').selectOption('');
    await page.locator('#filters button[type="submit"]').click();
    await page.locator(`#history button[data-id="${approved.request_id}"]`).waitFor(WAIT);
    assert.equal(await page.locator('#history button.item').count(), 2);

    // Created before 2020: nothing; created since 2020: both again.
    await page.locator('#f-before').fill('2020-01-01T00:00');
    await page.locator('#filters button[type="submit"]').click();
    await page.locator('#history-empty').waitFor({ state: 'visible', ...WAIT });
    assert.equal(await page.locator('#history button.item').count(), 0);
    await page.locator('#f-before').fill('');
    await page.locator('#f-since').fill('2020-01-01T00:00');
    await page.locator('#filters button[type="submit"]').click();
    await page.locator(`#history button[data-id="${approved.request_id}"]`).waitFor(WAIT);
    assert.equal(await page.locator('#history button.item').count(), 2);

    await page.locator(`#history button[data-id="${approved.request_id}"]`).click();
    await page.locator('#history-title').waitFor(WAIT);
    const detail = page.locator('#detail');
    await detail.locator('.events li').first().waitFor(WAIT);
    const text = await detail.textContent();
    assert.match(text, /staging only/);
    assert.ok(text.includes(tenant.reviewerId), text);
    // Either this server has the audit API (events listed) or the console says so and shows the action's own history.
    const audit = await rest(server.url, 'GET', `/api/v1/audit/events?request_id=${approved.request_id}`, { key: tenant.reviewer });
    if (audit.status === 404) assert.match(text, /Audit trail not available/);
    else assert.match(text, /action\.decided/);
    assert.equal(await detail.locator('.decide').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('after a network outage the inbox reconnects by itself and shows what changed meanwhile', async () => {
  const tenant = await newTenant(server.url);
  const proxy = await startProxy(server.url);
  const { page, context, problems } = await openPage();
  try {
    const decidedMeanwhile = await requestApproval(server.url, tenant.agent, { key: 'decided-meanwhile', thread: 'outage', payloadJson: '{"n": 1}' });
    await signIn(page, proxy.url, tenant.reviewer);
    await page.locator(`#inbox button[data-id="${decidedMeanwhile.request_id}"]`).waitFor(WAIT);
    await page.evaluate(() => {
      window.connStates = [];
      new MutationObserver(() => window.connStates.push(document.getElementById('conn').dataset.state))
        .observe(document.getElementById('conn'), { attributes: true, attributeFilter: ['data-state'] });
    });

    proxy.block();
    await page.locator('#conn[data-state="reconnecting"]').waitFor(WAIT);
    // While the console cannot reach the server: one action is decided elsewhere, another one arrives.
    const decide = await rest(server.url, 'POST', '/api/v1/hitl/approve?idempotency_key=decided-meanwhile&thread_id=outage', { key: tenant.reviewer, body: {} });
    assert.equal(decide.status, 202);
    const arrived = await requestApproval(server.url, tenant.agent, { key: 'arrived-meanwhile', thread: 'outage', payloadJson: '{"n": 2}' });
    proxy.unblock();

    await page.locator(`#inbox button[data-id="${arrived.request_id}"]`).waitFor(WAIT);
    await page.locator(`#inbox button[data-id="${decidedMeanwhile.request_id}"]`).waitFor({ state: 'detached', ...WAIT });
    await page.locator('#conn[data-state="live"]').waitFor(WAIT);
    const states = await page.evaluate(() => window.connStates);
    assert.ok(states.includes('reconnecting') && states.at(-1) === 'live', states.join(' → '));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await proxy.close();
  }
});

test('the policy fields render as a quorum bar and an edit diff, and audit events as the history', async () => {
  // The shapes agreed for required approvals, edits and the audit API, served to the console by the test, so the
  // rendering is checked whether or not this server already produces them.
  const tenant = await newTenant(server.url);
  const now = new Date().toISOString();
  const action = {
    request_id: '019a0000-0000-7000-8000-000000000077', idempotency_key: 'pay-vendor-77', thread_id: 'quorum-thread',
    state: 'ACTION_STATE_PENDING', payload: { amount: 900, to: 'acct-2' }, payload_hash: 'ab12', created_at: now, updated_at: now,
    version: '3', required_approvals: 2, reviewer_group: 'finance',
    approvals: [{ principal: 'key:alice', comment: 'fine by finance', approved_at: now }],
    edit: { original_payload_json: '{"amount": 1200, "to": "acct-2"}', patch_json: '[{"op":"replace","path":"/amount","value":900}]',
      edited_by: 'key:bob', edited_at: now, comment: 'capped at 900' },
  };
  const { page, context, problems } = await openPage();
  try {
    await page.route((url) => url.pathname === '/api/v1/hitl/actions', (route) => {
      const pending = new URL(route.request().url()).searchParams.get('state') === 'ACTION_STATE_PENDING';
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ actions: pending ? [action] : [] }) });
    });
    await page.route((url) => url.pathname === '/api/v1/audit/events', (route) => route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({ events: [
        { id: '2', kind: 'action.approval_added', actor: { principal: 'key:alice', method: 'api_key' }, request_id: action.request_id, occurred_at: now, after: { approvals: 1 } },
        { id: '1', kind: 'action.created', actor: { principal: 'key:agent', method: 'api_key' }, request_id: action.request_id, occurred_at: now },
      ] }),
    }));
    await signIn(page, server.url, tenant.reviewer);
    await page.locator(`#inbox button[data-id="${action.request_id}"]`).click(WAIT);

    assert.equal(await page.locator('#inbox .badge.quorum').textContent(), '1/2 approvals');
    assert.equal(await page.locator('#quorum-title').textContent(), 'Approvals: 1 of 2');
    assert.equal(await page.locator('#detail progress').evaluate((p) => `${p.value}/${p.max}`), '1/2');
    assert.deepEqual(await page.locator('#detail pre.diff .del').allTextContents(), ['-   "amount": 1200,\n']);
    assert.deepEqual(await page.locator('#detail pre.diff .ins').allTextContents(), ['+   "amount": 900,\n']);
    assert.match(await page.locator('#detail .edit-note').textContent(), /Edited by key:bob .*capped at 900/);
    await page.locator('#detail .events .event-kind').first().waitFor(WAIT);
    assert.deepEqual(await page.locator('#detail .events .event-kind').allTextContents(), ['action.approval_added', 'action.created']);
    assert.match(await page.locator('#detail').textContent(), /Reviewer group\s*finance/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a comment typed for one action is not carried to another, and a revoked key signs the console out', async () => {
  const tenant = await newTenant(server.url);
  const first = await requestApproval(server.url, tenant.agent, { key: 'first', thread: 'two', payloadJson: '{"n": 1}' });
  const second = await requestApproval(server.url, tenant.agent, { key: 'second', thread: 'two', payloadJson: '{"n": 2}' });
  const { page, context, problems } = await openPage();
  try {
    await signIn(page, server.url, tenant.reviewer);
    await page.locator(`#inbox button[data-id="${first.request_id}"]`).click(WAIT);
    await page.locator('#approve-comment').fill('meant for the first one only');
    await page.locator(`#inbox button[data-id="${second.request_id}"]`).click();
    await page.locator('#detail-title', { hasText: 'second' }).waitFor(WAIT);
    assert.equal(await page.locator('#approve-comment').inputValue(), '');

    const keys = await rest(server.url, 'GET', '/api/v1/accounts/keys', { key: tenant.admin });
    const reviewerKey = keys.json.keys.find((k) => k.role === 'API_KEY_ROLE_REVIEWER');
    assert.equal((await rest(server.url, 'POST', `/api/v1/accounts/keys/${reviewerKey.key_id}/revoke`, { key: tenant.admin, body: {} })).status, 200);

    await page.locator('#signin').waitFor({ state: 'visible', ...WAIT });
    assert.match(await page.locator('#signin-error').textContent(), /refused/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.locator('#app').isVisible(), false);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
