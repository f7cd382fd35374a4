// What the browser tests and the screenshot script share: a real Aegis server over the run's PostgreSQL (a fresh
// database, API keys, no trusted header), REST calls as an agent makes them, and Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LISTENING = /Aegis listening: REST \(HTTP\/1\.1\) http:\/\/([\d.]+):(\d+), gRPC \(h2c\) http:\/\/([\d.]+):(\d+)/;

/** Starts the built server on a new PostgreSQL database (plus `settings` as environment); resolves to {url, stop()}. */
export async function startServer({ timeoutMs = 60_000, settings = {} } = {}) {
  const port = process.env.AEGIS_TEST_PG_PORT;
  if (!process.env.AEGIS_TEST_POSTGRES || !port) {
    throw new Error('AEGIS_TEST_POSTGRES / AEGIS_TEST_PG_PORT are not set: run through scripts/test (or source scripts/services env).');
  }
  const db = 'aegis_browser_' + randomUUID().replaceAll('-', '').slice(0, 12);
  const psql = path.join(process.env.AEGIS_TEST_PG_BIN || '/usr/lib/postgresql/15/bin', 'psql');
  execFileSync(psql, ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${db}`]);

  const dll = process.env.AEGIS_SERVER_DLL || path.join(ROOT, 'src/Aegis.Server/bin/Release/net10.0/Aegis.Server.dll');
  const work = mkdtempSync(path.join(tmpdir(), 'aegis-browser-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ConnectionStrings__') && !k.startsWith('Aegis__')));
  Object.assign(env, {
    ConnectionStrings__Postgres: `Host=127.0.0.1;Port=${port};Username=postgres;Database=${db}`,
    Aegis__RestPort: '0',
    Aegis__GrpcPort: '0',
    DOTNET_NOLOGO: '1',
    ...settings,
  });
  const proc = spawn('dotnet', [dll], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log.slice(-40).join(''))), timeoutMs);
    const onData = (chunk) => {
      log.push(chunk.toString());
      const m = LISTENING.exec(log.join(''));
      if (m) { clearTimeout(timer); resolve(`http://${m[1]}:${m[2]}`); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n` + log.slice(-40).join(''))); });
  });
  return {
    url,
    log,
    async stop() {
      proc.removeAllListeners('exit');
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A REST call; resolves to {status, json, headers}. */
export async function rest(base, method, route, { key, body, headers = {} } = {}) {
  const res = await fetch(base + route, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      'X-Request-Id': randomUUID(),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A new tenant with an admin, a reviewer and an agent key (the reviewer's key id is its decisions' principal). */
export async function newTenant(base, email = `reviewer-${randomUUID().slice(0, 8)}@example.com`) {
  const signup = await rest(base, 'POST', '/api/v1/accounts/signup', { body: { email } });
  if (signup.status !== 200) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.json)}`);
  const admin = signup.json.api_key;
  const key = async (role, name) => {
    const r = await rest(base, 'POST', '/api/v1/accounts/keys', { key: admin, body: { role, name } });
    if (r.status !== 200) throw new Error(`create ${role} key: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const reviewer = await key('API_KEY_ROLE_REVIEWER', 'console reviewer');
  const agent = await key('API_KEY_ROLE_AGENT', 'billing agent');
  return { admin, reviewer: reviewer.api_key, reviewerId: reviewer.key.key_id, agent: agent.api_key };
}

/** RequestApproval over REST, as an agent: resolves to the PENDING action. */
export async function requestApproval(base, agentKey, { key, thread, payloadJson, timeout = '3600s', comment }) {
  const r = await rest(base, 'POST', '/api/v1/hitl/requests', {
    key: agentKey,
    body: { idempotency_key: key, thread_id: thread, payload_json: payloadJson, timeout, comment_for_reviewer: comment },
  });
  if (r.status !== 202) throw new Error(`RequestApproval: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/**
 * WatchDecision over REST (newline-delimited JSON), as an agent waits for its decision. `snapshot` resolves once the
 * stream delivered the action's snapshot (the watch is live); `decided` to the first message whose action is no
 * longer PENDING.
 */
export function watchDecision(base, agentKey, requestId) {
  const controller = new AbortController();
  let onSnapshot;
  const snapshot = new Promise((resolve) => { onSnapshot = resolve; });
  const decided = (async () => {
    const res = await fetch(`${base}/api/v1/hitl/watch/${requestId}`, {
      headers: { Authorization: `Bearer ${agentKey}` }, signal: controller.signal,
    });
    if (res.status !== 200) throw new Error(`WatchDecision: ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const message = JSON.parse(line);
        if (message.kind === 'WATCH_EVENT_KIND_SNAPSHOT') onSnapshot(message.action);
        if (message.action && message.action.state !== 'ACTION_STATE_PENDING') return message.action;
      }
    }
    throw new Error('the watch ended without a decision');
  })();
  return { snapshot, decided, close: () => controller.abort() };
}

/** Debian's Chromium, headless, through playwright-core. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.AEGIS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

/** Opens the console and signs in with `key` by keyboard only; resolves once the live stream is up. */
export async function signIn(page, base, key) {
  const response = await page.goto(`${base}/console/`);
  await page.keyboard.type(key);       // the key field has the focus on load
  await page.keyboard.press('Enter');
  await page.locator('#conn[data-state="live"]').waitFor({ timeout: 15_000 });
  return response;
}

/**
 * A TCP proxy in front of `target` (an http://host:port URL) that the test can cut: block() drops every open
 * connection and refuses new ones until unblock(). The browser's view of a network outage.
 */
export async function startProxy(target) {
  const { hostname, port } = new URL(target);
  const open = new Set();
  let blocked = false;
  const server = net.createServer((client) => {
    if (blocked) { client.destroy(); return; }
    const upstream = net.connect(Number(port), hostname);
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => { b.destroy(); open.delete(a); });
      open.add(a);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    block() { blocked = true; for (const s of open) s.destroy(); open.clear(); },
    unblock() { blocked = false; },
    close() { this.block(); return new Promise((resolve) => server.close(resolve)); },
  };
}
