import { createBackoff } from './backoff.js';
import { AnywireError, isAnywireError } from './errors.js';
import { type LoopMemory, nextStep, type Outcome } from './next-step.js';
import { DEFAULT_HEARTBEAT, HEALTHY_AFTER, type SubscribeOptions } from './options.js';
import { endpointFor } from './plan.js';
import { delay, type Timers } from './timers.js';
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
  readonly lastEventId: string | undefined;
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

/**
 * Runs connection attempts one after another until close: connect, watch for silence, and on
 * failure ask {@link nextStep} whether to retry, wait, fall back or give up.
 */
export function runLoop(host: LoopHost): Loop {
  const { options, timers } = host;
  const policy = options.reconnect ?? {};
  const backoff = createBackoff(policy === false ? undefined : policy, options.random);
  const heartbeat = options.heartbeat === false ? false : { ...DEFAULT_HEARTBEAT, ...options.heartbeat };
  const memory: LoopMemory = { failures: 0, failedOpens: 0, authRetried: false, index: 0, length: host.chain.length };
  const manual = new AnywireError('network', 'reconnect() was called');
  let serverRetry: number | undefined;
  let current: AbortController | undefined;
  let wake: AbortController | undefined;
  let gaveUp = false;

  async function attempt(name: TransportName, reason: HeadersReason): Promise<Outcome> {
    const controller = new AbortController();
    const { signal } = controller;
    current = controller;
    const onClose = (): void => controller.abort(host.signal.reason);
    host.signal.addEventListener('abort', onClose, { once: true });
    let opened = false;
    let confirmed = false;
    let healthy: unknown;
    const budget = heartbeat ? heartbeat.timeout + (name === 'poll' ? host.pollInterval : 0) : 0;
    const watchdog = heartbeat
      ? startWatchdog(timers, budget, () => {
          const code = confirmed ? 'heartbeat-timeout' : 'first-frame-timeout';
          controller.abort(new AnywireError(code, `${name}: nothing arrived for ${budget} ms; resuming`, { transport: name }));
        })
      : undefined;
    try {
      const headers = await host.resolveHeaders(reason);
      signal.throwIfAborted();
      const transport = host.transports.find((t) => t.name === name) as Transport;
      await transport.connect({
        url: endpointFor(options, name),
        headers,
        get lastEventId() {
          return host.lastEventId;
        },
        signal,
        fetch: host.fetch,
        WebSocket: host.WebSocket,
        timers,
        pollInterval: host.pollInterval,
        // The hold stays well under the client's silence timeout, so a held request is never
        // mistaken for a dead one.
        hold: Math.max(1, Math.floor(((heartbeat ? heartbeat.timeout : DEFAULT_HEARTBEAT.timeout) * 0.6) / 1000)),
        pingInterval: heartbeat ? heartbeat.interval : false,
        onOpen: (channel) => {
          opened = true;
          host.onOpen(channel);
        },
        onActivity: () => {
          watchdog?.touch();
          if (opened && !confirmed) {
            confirmed = true;
            // Reset only after the connection has stayed up a while, not on its first byte.
            healthy = timers.setTimeout(() => {
              backoff.reset();
              memory.failures = 0;
            }, HEALTHY_AFTER);
          }
        },
        // Once this attempt is aborted (resync, heartbeat, close) nothing more of it is delivered,
        // not even the rest of a chunk already being parsed.
        onText: (id, event, text) => signal.aborted || host.onText(id, event, text),
        onValue: (id, event, value) => signal.aborted || host.onValue(id, event, value),
        onPosition: (id) => signal.aborted || host.onPosition(id),
        onRetry: (ms) => {
          serverRetry = ms;
        },
        onError: (error) => signal.aborted || host.report(error as AnywireError),
      });
      return { error: undefined, confirmed };
    } catch (error) {
      return { error: toError(error, name), confirmed };
    } finally {
      watchdog?.stop();
      timers.clearTimeout(healthy);
      host.signal.removeEventListener('abort', onClose);
      controller.abort();
      current = undefined;
      host.onClosed();
    }
  }

  async function run(): Promise<void> {
    let reason: HeadersReason = 'connect';
    while (!host.signal.aborted) {
      const outcome = await attempt(host.chain[memory.index] as TransportName, reason);
      if (host.signal.aborted) return;
      reason = 'reconnect';
      if (outcome.error === manual) continue;
      if (outcome.error && outcome.error.code !== 'gap') host.report(outcome.error);
      const step = nextStep(outcome, memory, {
        policy,
        refreshableHeaders: typeof options.headers === 'function',
        serverRetry,
        backoff: () => backoff.next(),
      });
      if (step.kind === 'close') {
        gaveUp = true;
        return host.giveUp(step.error);
      }
      if (step.switchTo !== undefined) {
        memory.index = step.switchTo;
        host.setTransport(host.chain[step.switchTo] as TransportName, step.why ?? 'failed to open');
      }
      host.setStatus('reconnecting');
      reason = step.headers;
      if (step.delay > 0) await sleep(step.delay);
    }
  }

  async function sleep(ms: number): Promise<void> {
    const controller = new AbortController();
    wake = controller;
    const onClose = (): void => controller.abort();
    host.signal.addEventListener('abort', onClose, { once: true });
    try {
      await delay(timers, ms, controller.signal);
    } catch {
      // Woken early by reconnect() or close(): the loop decides what comes next.
    } finally {
      host.signal.removeEventListener('abort', onClose);
      wake = undefined;
    }
  }

  const start = (): void => {
    run().catch((error: unknown) => host.giveUp(toError(error, host.chain[memory.index] as TransportName)));
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
