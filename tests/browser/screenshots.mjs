// Takes the console screenshots shown in the README (docs/images/console-inbox.png, console-detail.png) from a real
// server with realistic actions. Run through scripts/console-screenshots, which starts PostgreSQL for it.
//
//   node screenshots.mjs <output dir>
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, newTenant, requestApproval, rest, signIn, startServer } from './harness.mjs';

const out = path.resolve(process.argv[2] ?? '../../docs/images');
mkdirSync(out, { recursive: true });

const server = await startServer();
const browser = await launchBrowser();
try {
  const tenant = await newTenant(server.url, 'finance-reviewers@example.com');
  const ask = (key, thread, payload, timeout, comment) =>
    requestApproval(server.url, tenant.agent, { key, thread, payloadJson: JSON.stringify(payload, null, 0), timeout, comment });

  // History on the invoice thread: last week's transfer, approved and executed.
  const earlier = await ask('wire-2026-11-0041', 'ap-invoices-nov',
    { action: 'wire_transfer', supplier: 'Nordlicht Logistics GmbH', amount: '12,400.00', currency: 'EUR', iban: 'DE44 5001 0517 5407 3249 31' },
    '86400s', 'Monthly freight invoice, same payee as October');
  await rest(server.url, 'POST', `/api/v1/hitl/approve?idempotency_key=${earlier.idempotency_key}&thread_id=ap-invoices-nov&comment=${encodeURIComponent('Matches PO 7781')}`,
    { key: tenant.reviewer, body: {} });
  const begun = await rest(server.url, 'POST', '/api/v1/hitl/executions/begin', { key: tenant.agent, body: { idempotency_key: earlier.idempotency_key } });
  await rest(server.url, 'POST', '/api/v1/hitl/executions/complete', {
    key: tenant.agent,
    body: { idempotency_key: earlier.idempotency_key, fencing_token: begun.json.lease.fencing_token, result_json: '{"transfer_id":"tr_8Hq2LkP0","status":"sent"}' },
  });

  await ask('db-migrate-orders-v12', 'deploy-2026-11-27',
    { action: 'run_sql', database: 'orders-prod', sql: 'ALTER TABLE orders DROP COLUMN legacy_status;', estimated_rows: 18420311 },
    '21600s', 'Column unused since v11 (checked query logs for 30 days). Irreversible without the nightly backup.');
  await ask('email-renewal-8812', 'support-ticket-8812',
    { action: 'send_email', to: 'maria.keller@example.org', subject: 'Your refund of 129.00 EUR', body: 'Hi Maria,\n\nwe have refunded 129.00 EUR to your card ending 4242. It will show within 5 business days.\n\nKind regards,\nSupport' },
    '2700s', 'Customer asked for written confirmation of the refund');
  await ask('refund-ch_3PXk9', 'support-ticket-8812',
    { action: 'refund', charge: 'ch_3PXk9Lq2eZvKi', amount_cents: 12900, currency: 'eur', reason: 'requested_by_customer' },
    '2700s', 'Duplicate charge on Nov 25 (see ticket 8812)');
  const wire = await ask('wire-2026-11-0042', 'ap-invoices-nov',
    { action: 'wire_transfer', supplier: 'Nordlicht Logistics GmbH', amount: '48,250.00', currency: 'EUR', iban: 'DE89 3704 0044 0532 0130 00', reference: 'INV-2026-1187', amount_minor: 4825000 },
    '5400s', 'Supplier sent NEW bank details by email on Nov 26. First payment to this IBAN: please confirm by phone before approving.');

  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signIn(page, server.url, tenant.reviewer);
  await page.locator('#inbox button.item').nth(3).waitFor({ timeout: 15_000 });
  await page.locator(`#inbox button[data-id="${wire.request_id}"]`).click();
  await page.locator('#detail .thread-list button').first().waitFor({ timeout: 15_000 });
  await page.locator('#approve-comment').fill('Called Nordlicht (+49 40 555 0199): new account confirmed by their CFO.');
  await page.locator('#tab-inbox').focus();
  await page.screenshot({ path: path.join(out, 'console-inbox.png') });

  await page.locator('#detail').screenshot({ path: path.join(out, 'console-detail.png') });
  await context.close();
  console.log(`wrote ${path.join(out, 'console-inbox.png')} and ${path.join(out, 'console-detail.png')}`);
} finally {
  await browser.close();
  await server.stop();
}
