// JSON as a reviewer must see it: every digit kept. JSON.parse turns 12345678901234567890 into
// 12345678901234567000, so numbers whose text a double cannot hold are kept as their source text (the reviver's
// `source`, from the "JSON.parse source text access" feature of current browsers).

/** A number kept as the text the server sent. */
export class ExactNumber {
  constructor(text) { this.text = text; }
  toJSON() { return this.text; }
}

/** Parses JSON text, keeping numbers exact. */
export function parseExact(text) {
  return JSON.parse(text, (key, value, context) => {
    if (typeof value === 'number' && context && typeof context.source === 'string' && String(value) !== context.source) {
      return new ExactNumber(context.source);
    }
    return value;
  });
}

/** JSON text of a value from parseExact, pretty-printed (indent 2) when `indent` is set, numbers as sent. */
export function stringifyExact(value, indent = 0, depth = 0) {
  const pad = (d) => (indent ? '\n' + ' '.repeat(indent * d) : '');
  if (value instanceof ExactNumber) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const sep = indent ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((v) => pad(depth + 1) + stringifyExact(v, indent, depth + 1)).join(',') + pad(depth) + ']';
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return '{' + entries.map(([k, v]) => pad(depth + 1) + JSON.stringify(k) + sep + stringifyExact(v, indent, depth + 1)).join(',')
    + pad(depth) + '}';
}

/** An action's payload: REST renders it exactly as `payload`; a gRPC-shaped action may carry only `payload_json`. */
export function payloadOf(action) {
  if (action.payload !== undefined) return action.payload;
  return action.payload_json ? parseExact(action.payload_json) : {};
}

/** Pretty-prints JSON text (or returns it unchanged when it is not JSON). */
export function prettyText(text) {
  try {
    return stringifyExact(parseExact(text), 2);
  } catch {
    return text;
  }
}

/**
 * A line diff of two texts (longest common subsequence): [{op: ' ' | '-' | '+', text}]. Payloads are at most
 * 64 KiB, so the quadratic table is bounded; beyond 2,000 lines a side it degrades to "all removed, all added".
 */
export function lineDiff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > 2000 || b.length > 2000) {
    return [...a.map((text) => ({ op: '-', text })), ...b.map((text) => ({ op: '+', text }))];
  }
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ op: ' ', text: a[i] }); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: a[i++] });
    else out.push({ op: '+', text: b[j++] });
  }
  while (i < n) out.push({ op: '-', text: a[i++] });
  while (j < m) out.push({ op: '+', text: b[j++] });
  return out;
}
