import { AnywireError } from '../core/errors.js';
import type { HeadersReason, ReconnectPolicy } from '../core/types.js';
import { isRetryable } from './classify.js';
import { withServerHint } from './retry-after.js';

/** The failures that mean a transport cannot get through, as opposed to the server being down. */
const TRANSPORT_FAILURES = new Set<string>(['closed-before-open', 'first-frame-timeout']);

/** Opens that fail in a row on one transport before the subscription moves to the next. */
export const FAILED_OPENS_BEFORE_FALLBACK = 2;

/** How one connection attempt ended. */
export interface Outcome {
  /** Undefined when the server ended an established connection cleanly. */
  error: AnywireError | undefined;
  /** The transport opened and delivered at least one byte or frame. */
  confirmed: boolean;
}

/** What the loop remembers between attempts. */
export interface LoopMemory {
  /** Failed attempts in a row (reset after a healthy period). */
  failures: number;
  /** Failed opens in a row on the current transport. */
  failedOpens: number;
  /** A 401 was just answered by calling `headers` again. */
  authRetried: boolean;
  /** Position of the current transport in the chain, and the chain's length. */
  index: number;
  length: number;
  /** While probing the preferred transport: the fallback's index to return to if the probe fails. */
  probe?: number | undefined;
}

/** The loop's next move. */
export type Step =
  | { kind: 'close'; error: AnywireError }
  | { kind: 'retry'; delay: number; headers: HeadersReason; switchTo?: number; why?: string };

/** Everything {@link nextStep} needs besides the outcome. */
export interface StepContext {
  /** `false` when reconnecting is off. */
  policy: ReconnectPolicy | false;
  /** `headers` is a function, so a 401 can be answered with fresh credentials once. */
  refreshableHeaders: boolean;
  /** The server's last `retry:` in ms, if any. */
  serverRetry: number | undefined;
  /** Draws the next backoff delay; called only when a delay is really due. */
  backoff: () => number;
  /** Where WebSocket stands in the chain (-1: not in it), for a `426 Upgrade Required`. */
  websocket: number;
}

/**
 * Decides, purely, what follows an attempt: close (fatal), retry after a delay, or move to the next
 * transport. Mutates nothing but `memory`, which it updates for the attempt just ended.
 */
export function nextStep(outcome: Outcome, memory: LoopMemory, ctx: StepContext): Step {
  const { error, confirmed } = outcome;
  const { policy } = ctx;
  if (confirmed) memory.failedOpens = 0;
  const probe = memory.probe;
  memory.probe = undefined;
  // A probe of the preferred transport that does not open goes straight back to the fallback
  // that was working, without counting as a failure or waiting.
  if (probe !== undefined && !confirmed && error) return hop(probe, `the preferred transport still fails: ${error.message}`);
  const status = error?.code === 'http-status' ? error.status : undefined;
  if (status === 401 && ctx.refreshableHeaders && !memory.authRetried && policy !== false) {
    memory.authRetried = true;
    return { kind: 'retry', delay: 0, headers: 'unauthorized' };
  }
  memory.authRetried = false;
  // 426 Upgrade Required on an HTTP transport: the server speaks WebSocket only (a WebSocket-only
  // server, or one that lost its upgrade during a restart and now refuses HTTP). Retrying the HTTP
  // transport would get 426 forever: go back to WebSocket, after a backoff delay so that a server
  // that refuses both is not bounced between them at full speed; without WebSocket, stop.
  if (status === 426 && error?.transport !== 'websocket' && policy !== false) {
    if (ctx.websocket < 0) {
      const hint = 'the server answered 426 Upgrade Required and websocket is not in the transport list';
      return close(new AnywireError('http-status', `${error?.message}: ${hint}`, { cause: error, status, transport: error?.transport }));
    }
    memory.failures++;
    memory.failedOpens = 0;
    return hop(ctx.websocket, 'the server answered 426 Upgrade Required: back to websocket', ctx.backoff());
  }
  if (error && error.code !== 'gap' && error.code !== 'delta') {
    // The next transport, if there is one: reached at once, with a fresh count of failed opens.
    const next = memory.index < memory.length - 1 ? memory.index + 1 : undefined;
    if (error.code === 'unsupported-transport') return next === undefined ? close(error) : moveOn(memory, next, error);
    const retry = policy !== false && (policy.shouldRetry?.(error, memory.failures + 1) ?? isRetryable(error));
    if (!retry) return close(error);
    // Only failures that say "this transport does not get through" count towards fallback: a
    // socket closed before it opened (a proxy refusing upgrades) or a stream that opened and then
    // delivered nothing (a buffering proxy). A network error or a 5xx would hit the next transport
    // just the same: falling back for those only walks every client down to polling in an outage.
    if (!confirmed && TRANSPORT_FAILURES.has(error.code) && ++memory.failedOpens >= FAILED_OPENS_BEFORE_FALLBACK && next !== undefined) {
      return moveOn(memory, next, error);
    }
  }
  if (policy === false) return close(error ?? new AnywireError('network', 'the server ended the connection and reconnect is off'));
  const max = policy.maxAttempts ?? Infinity;
  if (++memory.failures > max) return close(new AnywireError('max-attempts', `gave up after ${max} attempts`, { cause: error }));
  // Server hints win: never sooner than Retry-After or the stream's `retry:`. The jittered delay
  // is added on top, not maxed with it: clients handed the same hint at the same moment would
  // otherwise all return at the same instant (docs/reconnect-storm.md).
  const delay = withServerHint(ctx.backoff(), Math.max(error?.retryAfter ?? 0, ctx.serverRetry ?? 0) || undefined);
  return { kind: 'retry', delay, headers: 'reconnect' };
}

const close = (error: AnywireError): Step => ({ kind: 'close', error });

/** A retry on the transport at `index` of the chain. */
const hop = (index: number, why: string, delay = 0): Step => ({ kind: 'retry', delay, headers: 'reconnect', switchTo: index, why });

function moveOn(memory: LoopMemory, index: number, error: AnywireError): Step {
  memory.failedOpens = 0;
  return hop(index, error.message);
}
