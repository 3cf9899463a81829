import { isPortableId } from './position.js';

type Check = (value: unknown) => boolean;

const TRANSPORTS = ['websocket', 'sse', 'long-poll', 'poll'];
const isTransport: Check = (v) => TRANSPORTS.includes(v as string);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isFunction: Check = (v) => typeof v === 'function';
/** A finite number, at least `min` (and above it when `open`). */
const number =
  (min: number, open?: boolean): Check =>
  (v) =>
    typeof v === 'number' && v >= min && Number.isFinite(v) && !(open && v === min);
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const url: Check = (v) => {
  try {
    return /^(http|ws)s?:$/.test(new URL(v as string, (globalThis as { location?: { href: string } }).location?.href).protocol);
  } catch {
    return false;
  }
};
const ms = 'a number of ms above 0';
const URL_ = 'an http:, https:, ws: or wss: URL (a relative one needs a page)';

/**
 * Each checked option: its path, the check, and what it must be. Data, not code, to keep the
 * bytes down: every app ships this table. Built by a pure call, so a bundle that never
 * subscribes (the delta engine alone) drops it.
 */
const RULES: ReadonlyArray<readonly [string, Check, string]> = /* @__PURE__ */ (() => [
  ['url', (v) => (typeof v === 'string' || v instanceof URL) && url(v), URL_],
  [
    'endpoints',
    (v) => isObject(v) && Object.keys(v).every((k) => isTransport(k) || k === 'send'),
    `an object keyed by ${TRANSPORTS} or send`,
  ],
  ...[...TRANSPORTS, 'send'].map((name) => [`endpoints.${name}`, url, URL_] as const),
  ['requirements', isObject, 'an object'],
  ['requirements.direction', oneOf('receive', 'both'), "'receive' or 'both'"],
  // A staleness of 0 ms cannot be met by anything; frequency 0 means "almost never" and is fine.
  ['requirements.staleness', number(0, true), ms],
  ['requirements.frequency', number(0), 'messages per second, 0 or more'],
  [
    'transport',
    (v) => v === 'auto' || isTransport(v) || (Array.isArray(v) && v.length > 0 && v.every(isTransport) && new Set(v).size === v.length),
    `'auto', one of ${TRANSPORTS}, or a list of them without repeats`,
  ],
  ['heartbeat', (v) => v === false || isObject(v), 'false or { interval?, timeout? }'],
  ['heartbeat.interval', number(0, true), ms],
  ['heartbeat.timeout', number(0, true), ms],
  ['reconnect', (v) => v === false || isObject(v), 'false or a policy object'],
  ['reconnect.initialDelay', number(0), 'a number of ms, 0 or more'],
  ['reconnect.maxDelay', number(0), 'a number of ms, 0 or more'],
  ['reconnect.factor', number(1), 'a number, 1 or more'],
  // Finite or Infinity: `>= 0` alone refuses NaN and -Infinity.
  ['reconnect.maxAttempts', (v) => typeof v === 'number' && v >= 0, 'a number, 0 or more, or Infinity'],
  ['maxEventSize', number(0, true), 'a number of characters above 0'],
  ['lastEventId', (v) => typeof v === 'string' && isPortableId(v), 'visible ASCII, at most 1024 characters'],
  ['delta', (v) => isObject(v) && isFunction(v.apply), 'a codec with apply(): jsonPatch, mergePatch or your own'],
  ['frame', (v) => isObject(v) && isFunction(v.decode), 'a codec with decode()'],
  ['whenHidden', oneOf('keep', 'slow', 'pause'), "'keep', 'slow' or 'pause'"],
  ['parse', isFunction, 'a function'],
  ['fetch', isFunction, 'a function'],
  ['WebSocket', isFunction, 'a constructor'],
  ['random', isFunction, 'a function'],
])();

/**
 * Checks what the caller passed to `subscribe()` and throws a `TypeError` that names the option
 * and the value given. Thrown at once, from `subscribe()` itself: a wrong call is a bug in the
 * caller's code, not a condition to recover from, so it is never turned into an `error` event that
 * a retry loop would repeat forever (as an `ftp:` URL once did), and no value makes the client
 * hammer a server (staleness 0 once polled 440 times a second).
 */
export function validateOptions(options: unknown): void {
  if (!isObject(options)) fail(`subscribe() takes an options object with at least a \`url\`, got ${show(options)}`);
  if (typeof options.delta === 'string') {
    // The string form was 0.1's; the codecs are values now, so apps without deltas ship no engine.
    const name = options.delta === 'merge-patch' ? 'mergePatch' : 'jsonPatch';
    fail(`\`delta: ${show(options.delta)}\` is now \`delta: ${name}\`, imported: import { ${name} } from 'anywire'`);
  }
  for (const [path, check, want] of RULES) {
    const [head, key] = path.split('.') as [string, string?];
    const parent = key === undefined ? options : options[head];
    const value = isObject(parent) ? parent[key ?? head] : undefined;
    if ((value !== undefined || path === 'url') && !check(value)) fail(`\`${path}\` must be ${want}, got ${show(value)}`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return `[${value.map(show)}]`;
  return typeof value === 'function' ? 'a function' : isObject(value) ? 'an object' : String(value);
}

function fail(message: string): never {
  throw new TypeError(`[anywire] ${message}`);
}
