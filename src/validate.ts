import type { SubscribeOptions } from './options.js';
import { isPortableId } from './position.js';
import type { TransportName } from './types.js';

const TRANSPORTS: readonly string[] = ['websocket', 'sse', 'long-poll', 'poll'];
const SCHEMES: readonly string[] = ['http:', 'https:', 'ws:', 'wss:'];

/**
 * Checks what the caller passed to `subscribe()` and throws a `TypeError` that names the option
 * and the value given. Thrown at once, from `subscribe()` itself: a wrong call is a bug in the
 * caller's code, not a condition to recover from, so it is never turned into an `error` event
 * that a retry loop would repeat forever (as an `ftp:` URL once did).
 *
 * Pure and side-effect free: it reads `options` and nothing else (bar `location`, to resolve a
 * relative URL the way the page would).
 */
export function validateOptions(options: unknown): asserts options is SubscribeOptions<unknown, unknown> {
  if (typeof options !== 'object' || options === null) {
    fail(`subscribe() takes an options object with at least a \`url\`, got ${show(options)}`);
  }
  const o = options as Record<string, unknown>;
  checkUrl('url', o.url);
  if (o.endpoints !== undefined) {
    if (!isObject(o.endpoints)) fail(`\`endpoints\` must be an object of URLs, got ${show(o.endpoints)}`);
    for (const [name, url] of Object.entries(o.endpoints)) {
      if (!TRANSPORTS.includes(name) && name !== 'send') fail(`\`endpoints.${name}\` is not a transport (${TRANSPORTS.join(', ')}, send)`);
      if (url !== undefined) checkUrl(`endpoints.${name}`, url);
    }
  }
  const r = o.requirements;
  if (r !== undefined) {
    if (!isObject(r)) fail(`\`requirements\` must be an object, got ${show(r)}`);
    if (r.direction !== undefined && r.direction !== 'receive' && r.direction !== 'both') {
      fail(`\`requirements.direction\` must be 'receive' or 'both', got ${show(r.direction)}`);
    }
    // A staleness of 0 ms cannot be met by anything; frequency 0 means "almost never" and is fine.
    if (r.staleness !== undefined) checkNumber('requirements.staleness', r.staleness, 'a number of ms above 0', false);
    if (r.frequency !== undefined) checkNumber('requirements.frequency', r.frequency, 'messages per second, 0 or more', true);
  }
  checkTransport(o.transport);
  if (o.heartbeat !== undefined && o.heartbeat !== false) {
    if (!isObject(o.heartbeat)) fail(`\`heartbeat\` must be false or { interval?, timeout? }, got ${show(o.heartbeat)}`);
    for (const key of ['interval', 'timeout'] as const) {
      if (o.heartbeat[key] !== undefined) checkNumber(`heartbeat.${key}`, o.heartbeat[key], 'a number of ms above 0', false);
    }
  }
  if (o.reconnect !== undefined && o.reconnect !== false) {
    if (!isObject(o.reconnect)) fail(`\`reconnect\` must be false or a policy object, got ${show(o.reconnect)}`);
    for (const key of ['initialDelay', 'maxDelay'] as const) {
      if (o.reconnect[key] !== undefined) checkNumber(`reconnect.${key}`, o.reconnect[key], 'a number of ms, 0 or more', true);
    }
    const { factor, maxAttempts } = o.reconnect;
    if (factor !== undefined && !(typeof factor === 'number' && factor >= 1 && Number.isFinite(factor))) {
      fail(`\`reconnect.factor\` must be a number of at least 1, got ${show(factor)}`);
    }
    if (maxAttempts !== undefined && !(typeof maxAttempts === 'number' && maxAttempts >= 0)) {
      fail(`\`reconnect.maxAttempts\` must be a number, 0 or more (Infinity for no limit), got ${show(maxAttempts)}`);
    }
  }
  const delta = o.delta;
  if (typeof delta === 'string') {
    // The string form was 0.1's; the codecs are values now, so apps without deltas ship no engine.
    const name = delta === 'merge-patch' ? 'mergePatch' : 'jsonPatch';
    fail(`\`delta: ${show(delta)}\` is now \`delta: ${name}\`, imported: import { ${name} } from 'anywire'`);
  }
  if (delta !== undefined && !(isObject(delta) && typeof delta.apply === 'function')) {
    fail(`\`delta\` must be a codec with apply() (jsonPatch, mergePatch or your own), got ${show(delta)}`);
  }
  if (o.frame !== undefined && !(isObject(o.frame) && typeof o.frame.decode === 'function')) {
    fail(`\`frame\` must be a codec with decode(), got ${show(o.frame)}`);
  }
  if (o.maxEventSize !== undefined) checkNumber('maxEventSize', o.maxEventSize, 'a number of characters above 0', false);
  if (o.lastEventId !== undefined && !(typeof o.lastEventId === 'string' && isPortableId(o.lastEventId))) {
    fail(`\`lastEventId\` must be a string of visible ASCII (at most 1024 characters), got ${show(o.lastEventId)}`);
  }
  for (const key of ['parse', 'fetch', 'WebSocket', 'random'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') fail(`\`${key}\` must be a function, got ${show(o[key])}`);
  }
  if (o.whenHidden !== undefined && o.whenHidden !== 'keep' && o.whenHidden !== 'slow' && o.whenHidden !== 'pause') {
    fail(`\`whenHidden\` must be 'keep', 'slow' or 'pause', got ${show(o.whenHidden)}`);
  }
}

function checkUrl(name: string, value: unknown): void {
  if (typeof value !== 'string' && !(value instanceof URL)) fail(`\`${name}\` must be a URL string or a URL, got ${show(value)}`);
  let url: URL;
  try {
    url = new URL(value, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    fail(`\`${name}\` is not a valid URL: ${show(String(value))} (a relative URL needs a page to resolve against)`);
  }
  if (!SCHEMES.includes(url.protocol)) fail(`\`${name}\` must be an http:, https:, ws: or wss: URL, got ${show(String(value))}`);
}

function checkTransport(value: unknown): void {
  if (value === undefined || value === 'auto') return;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    fail(`\`transport\` must be 'auto', a transport name or a non-empty list of them, got ${show(value)}`);
  }
  for (const name of list) {
    if (!TRANSPORTS.includes(name as TransportName)) fail(`\`transport\`: ${show(name)} is not a transport (${TRANSPORTS.join(', ')})`);
  }
  if (new Set(list).size !== list.length) fail(`\`transport\` lists a transport twice: ${show(value)}`);
}

function checkNumber(name: string, value: unknown, want: string, zero: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
    fail(`\`${name}\` must be ${want}, got ${show(value)}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

function fail(message: string): never {
  throw new TypeError(`[anywire] ${message}`);
}
