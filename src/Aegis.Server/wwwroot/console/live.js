// The live connection: WatchActions over REST (one JSON object a line), read with fetch and a ReadableStream, reopened
// with exponential backoff and jitter when it drops. No polling: between transitions the server sends heartbeats.
import { parseExact } from './json.js';

const SILENCE_MS = 45_000;   // three missed heartbeats (the server sends one every 15 s by default)
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps a watch open until stop() is called.
 * - onLive(): the subscription is live (its first message arrived); list what already exists now, so nothing is lost.
 * - onMessage(msg): every message after that (transitions and heartbeats).
 * - onStatus('connecting' | 'live' | 'reconnecting', detail).
 * - onUnauthorized(): the key was refused (401): the watch stops.
 */
export function startWatch(api, { onLive, onMessage, onStatus, onUnauthorized }) {
  let stopped = false;
  let controller = null;
  let attempt = 0;
  let wake = null;

  async function connectOnce() {
    controller = new AbortController();
    let silence = null;
    const alive = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      onStatus('connecting');
      alive();
      const res = await api.openWatch(controller.signal);
      if (res.status === 401) { stopped = true; onUnauthorized(); return; }
      if (!res.ok || !res.body) throw new Error(`watch refused: HTTP ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let first = true;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        alive();
        buffer += value;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue;
          const message = parseExact(line);
          if (first) {
            first = false;
            attempt = 0;
            onStatus('live');
            onLive();
          }
          onMessage(message);
        }
      }
    } catch (e) {
      if (!stopped) onStatus('reconnecting', String(e?.message ?? e));
    } finally {
      clearTimeout(silence);
    }
  }

  (async () => {
    while (!stopped) {
      await connectOnce();
      if (stopped) break;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt = Math.min(attempt + 1, 10);
      onStatus('reconnecting', `retrying in ${Math.round(delay / 1000)} s`);
      await new Promise((resolve) => { wake = resolve; setTimeout(resolve, delay); });
    }
  })();

  return {
    stop() {
      stopped = true;
      controller?.abort();
      wake?.();
    },
  };
}
