import { createBackoff, DEFAULT_RECONNECT } from './backoff.js';
import { AnywireError, isAnywireError } from './errors.js';
import { watchLifecycle } from './lifecycle.js';
import { holdSeconds, silenceBudget } from './liveness.js';
import { type LoopMemory, nextStep, type Outcome } from './next-step.js';
import {
  DEFAULT_HEARTBEAT,
  DEFAULT_MAX_EVENT_SIZE,
  HEALTHY_AFTER,
  HIDDEN_SLOWDOWN,
  MAX_PROBE_AFTER,
  PROBE_AFTER,
  type SubscribeOptions,
} from './options.js';
import { endpointFor } from './plan.js';
import { delay, type Timers } from './timers.js';
import { recall, remember } from './transport-memory.js';
import type { Channel, ConnectContext, Transport } from './transports/transport.js';
import type { FetchLike, HeadersReason, Status, TransportName, WebSocketConstructor } from './types.js';
import { startWatchdog } from './watchdog.js';

/** What the connection loop needs from its subscription. The loop owns time; the host owns state. */
export interface LoopHost {
  options: SubscribeOptions<unknown, unknown>;
  timers: Timers;
  fetch: FetchLike;
  WebSocket: WebSocketConstructor | undefined;
  /** The transport chain, preferred first. */
  chain: readonly TransportName[];
  transports: readonly Transport[];
  pollInterval: number;
  /** Aborted once, by close(). */
  signal: AbortSignal;
  /** The current resume position. */
  position(): string | undefined;
  dropPosition(): void;
  resolveHeaders(reason: HeadersReason): Promise<Record<string, string>>;
  setTransport(name: TransportName, reason: string): void;
  setStatus(status: Status): void;
  report(error: AnywireError): void;
  onOpen(channel: Channel | undefined): void;
  onClosed(): void;
  onText: ConnectContext['onText'];
  onValue: ConnectContext['onValue'];
  onPosition: ConnectContext['onPosition'];
  /** The loop gave up (fatal error or max attempts). */
  giveUp(error: AnywireError): void;
  /** `reconnect()` after giving up: back to `connecting`. */
  revive(): void;
}

/** Controls of a running loop. */
export interface Loop {
  /** Starts connecting. */
  start(): void;
  /** Reconnects now with a fresh backoff (revives a loop that gave up). */
  reconnect(): void;
  /** Drops the resume position and reconnects, reporting `error` (a failed delta, or a gap). */
  resync(error: AnywireError): void;
}

// Sentinels, shared by every subscription (an Error per subscription would cost a stack trace
// each): an attempt aborted by reconnect() or by a probe is not a failure.
const manual = /* @__PURE__ */ new AnywireError('network', 'reconnect() was called');
const probing = /* @__PURE__ */ new AnywireError('network', 'probing the preferred transport');

/**
 * Runs connection attempts one after another until close: connect, watch for silence, and on
 * failure ask {@link nextStep} whether to retry, wait, fall back or give up. Also: remembers the
 * transport that worked, probes the preferred one again after a healthy period on a fallback,
 * and follows the page's online/offline and visibility hints.
 */
export function runLoop(host: LoopHost): Loop {
  const { options, timers, chain } = host;
  const policy = options.reconnect ?? {};
  const backoff = createBackoff(policy === false ? undefined : policy, options.random);
  const cap = (policy || undefined)?.maxDelay || DEFAULT_RECONNECT.maxDelay;
  const heartbeat = options.heartbeat === false ? false : { ...DEFAULT_HEARTBEAT, ...options.heartbeat };
  const hold = holdSeconds(heartbeat ? heartbeat.timeout : DEFAULT_HEARTBEAT.timeout);
  const memory: LoopMemory = { failures: 0, failedOpens: 0, authRetried: false, index: 0, length: chain.length };
  const key = `${chain.join()} ${endpointFor(options, chain[0] as TransportName).href}`;
  const visible = new Set<() => void>();
  let serverRetry: number | undefined;
  let probeAfter = PROBE_AFTER;
  let current: AbortController | undefined;
  let wake: AbortController | undefined;
  // The live attempt's watchdog, so a wake-up signal (online, visible) can check liveness at once.
  let watching: { check(): void } | undefined;
  let gaveUp = false;

  const lifecycle = watchLifecycle(
    () => {
      // Back online: retry now with a fresh schedule. An open connection is left alone: whether
      // it survived is the heartbeat's call, not navigator.onLine's.
      backoff.reset();
      memory.failures = 0;
      wake?.abort();
      watching?.check();
    },
    () => {
      // Visible again after a long timer gap (sleep, background tab): is the connection alive?
      watching?.check();
      for (const resume of [...visible]) resume();
    },
  );
  host.signal.addEventListener('abort', lifecycle.stop, { once: true });

  const learned = recall(key);
  if (learned && chain.indexOf(learned) > 0) {
    memory.index = chain.indexOf(learned);
    host.setTransport(learned, `${learned} worked for this endpoint before`);
  }

  /** Resolves when the page is visible again (or at once if it is), or rejects when `signal` aborts. */
  const untilVisible = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!lifecycle.hidden()) return resolve();
      const done = (): void => {
        visible.delete(done);
        signal.removeEventListener('abort', done);
        if (signal.aborted) reject(signal.reason);
        else resolve();
      };
      visible.add(done);
      signal.addEventListener('abort', done, { once: true });
    });

  async function attempt(name: TransportName, reason: HeadersReason): Promise<Outcome> {
    const controller = new AbortController();
    const { signal } = controller;
    current = controller;
    // A plain flag for the per-event checks below: cheaper than the AbortSignal getter.
    let live = true;
    const onClose = (): void => controller.abort(host.signal.reason);
    host.signal.addEventListener('abort', onClose, { once: true });
    let opened = false;
    let confirmed = false;
    let paused = false;
    const later: unknown[] = [];
    const budget = heartbeat ? silenceBudget(name, heartbeat.timeout, host.pollInterval) : 0;
    const watchdog = heartbeat
      ? startWatchdog(timers, budget, () => {
          if (paused) return true; // a poll paused in a hidden page is silent on purpose
          const code = confirmed ? 'heartbeat-timeout' : 'first-frame-timeout';
          controller.abort(new AnywireError(code, `${name}: nothing arrived for ${budget} ms; resuming`, { transport: name }));
          return undefined;
        })
      : undefined;
    watching = watchdog;
    // Timers die with the attempt, synchronously: close() leaves nothing pending, not even for a tick.
    const stopTimers = (): void => {
      watchdog?.stop();
      for (const handle of later) timers.clearTimeout(handle);
      if (watching === watchdog) watching = undefined;
    };
    signal.addEventListener(
      'abort',
      () => {
        live = false;
        stopTimers();
      },
      { once: true },
    );
    const onConfirmed = (): void => {
      remember(key, name, memory.index === 0);
      // Reset only after the connection has stayed up a while, not on its first byte.
      later.push(
        timers.setTimeout(() => {
          backoff.reset();
          memory.failures = 0;
          if (memory.index > 0) later.push(timers.setTimeout(() => controller.abort(probing), probeAfter));
        }, HEALTHY_AFTER),
      );
    };
    try {
      const headers = await host.resolveHeaders(reason);
      signal.throwIfAborted();
      const transport = host.transports.find((t) => t.name === name) as Transport;
      await transport.connect({
        url: endpointFor(options, name),
        headers,
        lastEventId: host.position,
        signal,
        fetch: host.fetch,
        WebSocket: host.WebSocket,
        timers,
        pollInterval: host.pollInterval,
        hold,
        pingInterval: heartbeat ? heartbeat.interval : false,
        maxEventSize: options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE,
        frame: options.frame,
        pause: async (ms) => {
          paused = true;
          try {
            const mode = options.whenHidden ?? 'keep';
            await delay(timers, lifecycle.hidden() && mode === 'slow' ? ms * HIDDEN_SLOWDOWN : ms, signal);
            if (mode === 'pause') await untilVisible(signal);
          } finally {
            paused = false;
            watchdog?.touch();
          }
        },
        onOpen: (channel) => {
          opened = true;
          host.onOpen(channel);
        },
        onActivity: () => {
          watchdog?.touch();
          if (opened && !confirmed) {
            confirmed = true;
            onConfirmed();
          }
        },
        // Once this attempt is aborted (resync, heartbeat, close) nothing more of it is delivered,
        // not even the rest of a chunk already being parsed.
        onText: (id, event, text) => live && host.onText(id, event, text),
        onValue: (id, event, value) => live && host.onValue(id, event, value),
        onPosition: (id) => live && host.onPosition(id),
        onRetry: (ms) => {
          serverRetry = ms;
        },
        onError: (error) => live && host.report(error as AnywireError),
      });
      return { error: undefined, confirmed };
    } catch (error) {
      return { error: toError(error, name), confirmed };
    } finally {
      host.signal.removeEventListener('abort', onClose);
      controller.abort();
      current = undefined;
      host.onClosed();
    }
  }

  async function run(): Promise<void> {
    let reason: HeadersReason = 'connect';
    while (!host.signal.aborted) {
      const outcome = await attempt(chain[memory.index] as TransportName, reason);
      if (host.signal.aborted) return;
      reason = 'reconnect';
      if (outcome.error === manual) continue;
      if (outcome.error === probing) {
        memory.probe = memory.index;
        memory.index = 0;
        host.setTransport(chain[0] as TransportName, `healthy ${probeAfter / 1000} s on a fallback: probing the preferred transport`);
        continue;
      }
      const wasProbe = memory.probe;
      const step = nextStep(outcome, memory, {
        policy,
        refreshableHeaders: typeof options.headers === 'function',
        serverRetry,
        backoff: () => backoff.next(),
        websocket: chain.indexOf('websocket'),
      });
      if (step.kind === 'close') {
        gaveUp = true;
        // The attempt's own error is reported once, by giveUp, after the status is 'closed'.
        if (outcome.error && outcome.error !== step.error) host.report(outcome.error);
        return host.giveUp(step.error);
      }
      if (outcome.error && outcome.error.code !== 'gap') host.report(outcome.error);
      if (wasProbe !== undefined) probeAfter = step.switchTo === wasProbe ? Math.min(probeAfter * 2, MAX_PROBE_AFTER) : PROBE_AFTER;
      if (step.switchTo !== undefined) {
        memory.index = step.switchTo;
        host.setTransport(chain[step.switchTo] as TransportName, step.why ?? 'failed to open');
      }
      host.setStatus('reconnecting');
      reason = step.headers;
      if (step.delay > 0) await sleep(step.delay);
    }
  }

  /** Waits out a backoff delay; offline, also waits for `online` (at most one more capped delay). */
  async function sleep(ms: number): Promise<void> {
    const controller = new AbortController();
    wake = controller;
    const onClose = (): void => controller.abort();
    host.signal.addEventListener('abort', onClose, { once: true });
    try {
      await delay(timers, ms, controller.signal);
      // Retrying while the page says it is offline wastes attempts; but navigator.onLine can be
      // wrong, so this pause is bounded.
      if (lifecycle.offline()) await delay(timers, cap, controller.signal);
    } catch {
      // Woken early by reconnect(), `online` or close(): the loop decides what comes next.
    } finally {
      host.signal.removeEventListener('abort', onClose);
      wake = undefined;
    }
  }

  const start = (): void => {
    run().catch((error: unknown) => host.giveUp(toError(error, chain[memory.index] as TransportName)));
  };

  return {
    start,
    reconnect() {
      if (host.signal.aborted) return;
      backoff.reset();
      memory.failures = 0;
      memory.authRetried = false;
      if (gaveUp) {
        gaveUp = false;
        host.revive();
        start();
      } else if (current) current.abort(manual);
      else wake?.abort();
    },
    resync(error) {
      host.dropPosition();
      current?.abort(error);
    },
  };
}

function toError(error: unknown, transport: TransportName): AnywireError {
  if (isAnywireError(error)) return error;
  return new AnywireError('network', `${transport}: ${String(error)}`, { cause: error, transport });
}
