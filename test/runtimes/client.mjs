// @ts-check
// The smoke client of the runtimes suite. Plain ESM JavaScript, so Node 20, 22 and 24, Bun and Deno
// all run this very file as it is, importing the built dist/ (ESM, or with `--cjs` the CommonJS
// build through require). It drives reference servers in the host through the control API
// (control.ts) and prints one result line: `@@anywire-result {json}`.
//
//   <runtime> test/runtimes/client.mjs <control-url> [--cjs]

const TRANSPORTS = ['sse', 'long-poll', 'poll', 'websocket'];
/** One wait for an event, in ms. */
const WAIT = 8000;
/** Polls every 20 ms and retries within 20–250 ms: fast, same behaviour as the defaults. */
const FAST = { requirements: { staleness: 20 }, reconnect: { initialDelay: 20, maxDelay: 250 } };

const g = /** @type {any} */ (globalThis);
const args = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const control = new URL(args[0]);
const cjs = args.includes('--cjs');

/** @param {number} code */
const exit = (code) => (g.Deno ? g.Deno.exit(code) : g.process.exit(code));

/** Which runtime this is, by its own account. */
function runtime() {
  if (g.Deno) return { name: 'deno', version: g.Deno.version.deno };
  if (g.Bun) return { name: 'bun', version: g.Bun.version };
  return { name: 'node', version: g.process.version.slice(1) };
}

/**
 * anywire from dist/ as these runtimes resolve it (the `node` export condition: Node, Bun and Deno
 * all match it): `import` of node.js, or `require` of node.cjs.
 */
async function load() {
  if (!cjs) return import(new URL('../../dist/node.js', import.meta.url).href);
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('../../dist/node.cjs');
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function api(method, path, body) {
  const response = await fetch(new URL(path, control), {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * What one subscription saw, updated on every event, and a way to wait for a condition on it.
 * @param {any} sub
 */
function watch(sub) {
  const seen = {
    /** @type {Array<{ data: unknown, event: string, id: string | undefined, transport: string }>} */
    messages: [],
    /** @type {Array<{ code: string, status: number | undefined, transport: string | undefined }>} */
    errors: [],
  };
  /** @type {Set<() => void>} */
  const waiters = new Set();
  const changed = () => {
    for (const wake of [...waiters]) wake();
  };
  sub.on('message', (/** @type {any} */ m) => {
    seen.messages.push({ data: m.data, event: m.event, id: m.id, transport: m.transport });
    changed();
  });
  sub.on('error', (/** @type {any} */ e) => {
    seen.errors.push({ code: e.code, status: e.status, transport: e.transport });
    changed();
  });
  sub.on('status', changed);
  /**
   * Resolves once `condition()` holds (checked now and on every event); rejects after `ms`.
   * @param {() => boolean} condition
   * @param {string} what
   * @param {number} [ms]
   * @returns {Promise<void>}
   */
  const until = (condition, what, ms = WAIT) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        const state = { status: sub.status, lastEventId: sub.lastEventId, data: seen.messages.map((m) => m.data), errors: seen.errors };
        reject(new Error(`waited ${ms} ms for ${what}; saw ${JSON.stringify(state)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  return { seen, until };
}

/**
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} what
 */
function equal(actual, expected, what) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const range = (/** @type {number} */ from, /** @type {number} */ to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Delivers in order, then resumes after the server drops every connection: nothing lost, nothing twice.
 * @param {any} anywire
 * @param {string} transport
 */
async function deliversAndResumes(anywire, transport) {
  const server = await api('POST', 'servers', {});
  const sub = anywire.subscribe({ url: server.url, transport, ...FAST });
  const { seen, until } = watch(sub);
  try {
    await until(() => sub.status === 'open', 'status open');
    for (const n of range(1, 5)) await api('POST', `servers/${server.id}/publish`, { data: n, ...(n === 3 ? { event: 'price' } : {}) });
    await until(() => sub.lastEventId === '5', 'lastEventId 5');
    equal(
      seen.messages.map((m) => [m.data, m.event, m.id, m.transport]),
      range(1, 5).map((n) => [n, n === 3 ? 'price' : 'message', String(n), transport]),
      'the first five messages',
    );
    await api('POST', `servers/${server.id}/drop`);
    for (const n of range(6, 10)) await api('POST', `servers/${server.id}/publish`, { data: n });
    await until(() => seen.messages.length >= 10, '10 messages');
    // A sentinel after the resume: a late duplicate of 1–10 would land before it.
    await api('POST', `servers/${server.id}/publish`, { data: 11 });
    await until(() => seen.messages.length >= 11, '11 messages');
    equal(
      seen.messages.map((m) => m.data),
      range(1, 11),
      'messages across the drop',
    );
    const { connections } = await api('GET', `servers/${server.id}/connections`);
    if (!connections.some((/** @type {any} */ c) => c.kind === transport && c.lastEventId === '5')) {
      throw new Error(`no reconnect resumed from Last-Event-ID 5: ${JSON.stringify(connections)}`);
    }
  } finally {
    sub.close();
    await api('DELETE', `servers/${server.id}`);
  }
}

/**
 * A 401 closes the subscription without a retry. A socket is refused the way every native
 * WebSocket can see: accepted, then closed with 4401.
 * @param {any} anywire
 * @param {string} transport
 */
async function unauthorizedIsFatal(anywire, transport) {
  const server = await api('POST', 'servers', { refuse: 401 });
  const endpoints = transport === 'websocket' ? { endpoints: { websocket: server.websocket } } : {};
  const sub = anywire.subscribe({ url: server.url, transport, ...endpoints, ...FAST });
  const { seen, until } = watch(sub);
  try {
    await until(() => sub.status === 'closed' && seen.errors.length > 0, 'status closed');
    const error = seen.errors[0];
    equal([error?.code, error?.status, error?.transport], ['http-status', 401, transport], 'the error');
    const { connections, refusedSockets } = await api('GET', `servers/${server.id}/connections`);
    equal(transport === 'websocket' ? refusedSockets : connections.length, 1, 'connection attempts');
  } finally {
    sub.close();
    await api('DELETE', `servers/${server.id}`);
  }
}

/**
 * A server that cannot be reached (connection refused) is reported and retried: errors arrive, the
 * status is `reconnecting`, and the attempts go on.
 * @param {any} anywire
 * @param {string} transport
 */
async function unreachableIsRetried(anywire, transport) {
  const { url } = await api('POST', 'unreachable');
  const sub = anywire.subscribe({ url, transport, ...FAST });
  const { seen, until } = watch(sub);
  try {
    await until(() => seen.errors.length >= 3 && sub.status === 'reconnecting', '3 errors while reconnecting');
    const codes = [...new Set(seen.errors.map((e) => e.code))];
    if (codes.some((code) => code !== 'network' && code !== 'closed-before-open')) throw new Error(`error codes: ${codes.join(', ')}`);
  } finally {
    sub.close();
  }
}

/**
 * Not a pass/fail check: what this runtime's WebSocket makes of an upgrade refused with a plain
 * HTTP 401 (the reference server's `intercept`). 'ws' shows the status; native sockets hide it.
 * @param {any} anywire
 */
async function refusedUpgrade(anywire) {
  const server = await api('POST', 'servers', { refuse: 401 });
  const sub = anywire.subscribe({ url: server.url, transport: 'websocket', ...FAST });
  const { seen, until } = watch(sub);
  try {
    await until(() => sub.status === 'closed' || seen.errors.length >= 3, 'closed or 3 errors', 3000).catch(() => {});
    const first = seen.errors[0];
    if (sub.status === 'connecting' && !first) return 'hangs (no error, status connecting)';
    return sub.status === 'closed'
      ? `fatal (${first?.code} ${first?.status ?? ''})`.replace(' )', ')')
      : `retried (${[...new Set(seen.errors.map((e) => e.code))].join(', ')})`;
  } finally {
    sub.close();
    await api('DELETE', `servers/${server.id}`);
  }
}

async function main() {
  const result = {
    runtime: runtime(),
    module: cjs ? 'cjs (require dist/node.cjs)' : 'esm (import dist/node.js)',
    websocket: typeof g.WebSocket === 'function' ? 'global WebSocket' : "'ws' (the node entry's fallback)",
    /** @type {Array<{ name: string, ok: boolean, ms: number, error?: string }>} */
    checks: [],
    /** @type {string | undefined} */
    refusedUpgrade: undefined,
  };
  const anywire = await load();
  for (const transport of TRANSPORTS) {
    for (const [name, check] of /** @type {const} */ ([
      ['delivers in order and resumes after a drop', deliversAndResumes],
      ['a 401 is fatal', unauthorizedIsFatal],
      ['an unreachable server is reported and retried', unreachableIsRetried],
    ])) {
      const started = performance.now();
      try {
        await check(anywire, transport);
        result.checks.push({ name: `${transport}: ${name}`, ok: true, ms: Math.round(performance.now() - started) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result.checks.push({ name: `${transport}: ${name}`, ok: false, ms: Math.round(performance.now() - started), error: message });
      }
    }
  }
  result.refusedUpgrade = await refusedUpgrade(anywire);
  console.log(`@@anywire-result ${JSON.stringify(result)}`);
}

main().then(
  () => exit(0),
  (error) => {
    console.error(error);
    exit(1);
  },
);
