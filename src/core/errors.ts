import type { TransportName } from './names.js';

/**
 * Every failure anywire reports carries one of these codes.
 *
 * - `http-status`: the server answered with a status the transport cannot use.
 * - `content-type`: the response was not the media type the transport speaks.
 * - `network`: the request or socket failed before or while streaming.
 * - `closed-before-open`: a WebSocket closed, or an upgrade was refused, before it opened.
 * - `heartbeat-timeout`: no byte or frame arrived within `heartbeat.timeout`.
 * - `first-frame-timeout`: a transport opened but delivered nothing before its first-frame deadline.
 * - `parse`: an event's data could not be parsed (invalid JSON, or your `parse` threw).
 * - `frame`: a frame or response body is not an event or an `{ events: [] }` envelope.
 * - `delta`: a patch could not be applied; the state is unchanged and a resync follows.
 * - `gap`: the server cannot resume from the position the client asked for.
 * - `unsupported-transport`: no transport in the list can run in this runtime or on this server.
 * - `send`: `send()` failed.
 * - `max-attempts`: `reconnect.maxAttempts` was reached; the subscription closed.
 * - `overflow`: the async iterator's buffer was full and its policy is `'error'`.
 * - `too-large`: an event, frame or body was larger than `maxEventSize`; the connection is cut
 *   and resumed from the last event that fit.
 * - `bad-id`: an event id cannot travel in a `Last-Event-ID` header (it has a character outside
 *   ISO-8859-1, or CR/LF/NUL); it does not move the resume position.
 */
export type AnywireErrorCode =
  | 'http-status'
  | 'content-type'
  | 'network'
  | 'closed-before-open'
  | 'heartbeat-timeout'
  | 'first-frame-timeout'
  | 'parse'
  | 'frame'
  | 'delta'
  | 'gap'
  | 'unsupported-transport'
  | 'send'
  | 'max-attempts'
  | 'overflow'
  | 'too-large'
  | 'bad-id';

const brand = Symbol.for('anywire.error');

/** Options shared by every anywire error. */
export interface AnywireErrorOptions {
  /** The underlying error, if any (standard `Error.cause`). */
  cause?: unknown;
  /** The transport that was running when the error happened. */
  transport?: TransportName | undefined;
  /** The HTTP status, for `http-status` errors. */
  status?: number | undefined;
  /** The delay the server asked for (Retry-After), in ms. */
  retryAfter?: number | undefined;
}

/**
 * The base class of every error anywire emits or throws. Check with {@link isAnywireError},
 * which also works across realms (iframes, duplicated bundles). A fatal error is reported after
 * the status has turned `'closed'`; every other error is one the subscription recovers from.
 *
 * @example
 * sub.on('error', (err) => {
 *   if (sub.status === 'closed' && err.status === 401) signOut(); // fatal: a fresh token did not help
 * });
 */
export class AnywireError extends Error {
  /** What went wrong, as a stable literal. */
  declare readonly code: AnywireErrorCode;
  /** The transport that was running, if any. */
  declare readonly transport: TransportName | undefined;
  /** The HTTP status, for `http-status` errors. */
  declare readonly status: number | undefined;
  /** The delay the server asked for before a retry, in ms (Retry-After, `retry:`). */
  declare readonly retryAfter: number | undefined;

  constructor(code: AnywireErrorCode, message: string, options: AnywireErrorOptions = {}) {
    super(`[anywire] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AnywireError';
    this.code = code;
    this.transport = options.transport;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * An {@link AnywireError} of `transport`, its message prefixed with the transport's name. Internal
 * (not re-exported by index.ts): every transport builds its errors here, so the options object and
 * the prefix are written once in a bundle, not at each of some thirty call sites.
 */
export function transportError(
  code: AnywireErrorCode,
  transport: TransportName,
  message: string,
  cause?: unknown,
  status?: number,
  retryAfter?: number,
): AnywireError {
  return new AnywireError(code, `${transport}: ${message}`, { cause, transport, status, retryAfter });
}

/** True when `value` is an {@link AnywireError}, from this bundle or another one. */
export function isAnywireError(value: unknown): value is AnywireError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
