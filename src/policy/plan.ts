import type { SubscribeConfig } from '../core/api.js';
import { AnywireError, isAnywireError } from '../core/errors.js';
import type { SubscribeOptions } from '../core/options.js';
import type { Choice, TransportName, WebSocketConstructor } from '../core/types.js';
import { hasStreamingFetch } from './capabilities.js';
import { chooseTransport, DEFAULT_REQUIREMENTS, narrow } from './choose.js';

/**
 * Turns the options into the ordered transport chain: `chooseTransport` for `'auto'`, the caller's
 * list otherwise, both narrowed to what this runtime and this build can do. Never throws: a plan
 * that cannot run comes back with the error, which the subscription reports asynchronously.
 */
export function planTransports(
  options: SubscribeOptions<unknown, unknown>,
  config: SubscribeConfig,
  webSocket: WebSocketConstructor | undefined,
): { plan: Choice; error?: AnywireError } {
  const capabilities = {
    websocket: typeof webSocket === 'function',
    streaming: hasStreamingFetch(),
    offered: config.transports.map((t) => t.name),
  };
  const forced = options.transport ?? 'auto';
  try {
    if (forced === 'auto') return { plan: chooseTransport(options.requirements, capabilities) };
    const order: readonly TransportName[] = typeof forced === 'string' ? [forced] : forced;
    const staleness = options.requirements?.staleness ?? DEFAULT_REQUIREMENTS.staleness;
    return { plan: narrow(order, capabilities, staleness, [`transport set by the caller: ${order.join(' → ')}`]) };
  } catch (error) {
    const first = typeof forced === 'string' && forced !== 'auto' ? forced : 'sse';
    const cause = isAnywireError(error) ? error : new AnywireError('unsupported-transport', String(error), { cause: error });
    return { plan: { transport: first, fallbacks: [], reasons: [cause.message] }, error: cause };
  }
}

/** The URL a transport connects to: its own endpoint, else the base URL (ws: derived from http:). */
export function endpointFor(options: SubscribeOptions<unknown, unknown>, name: TransportName): URL {
  const url = resolveUrl(options.endpoints?.[name] ?? options.url);
  // http: → ws:, https: → wss:; ws: and wss: stay (validation lets no other scheme through).
  if (name === 'websocket') url.protocol = url.protocol.replace('http', 'ws');
  return url;
}

/** Resolves a URL the way the page would: relative to `location` where there is one. */
export function resolveUrl(url: string | URL): URL {
  return new URL(url, (globalThis as { location?: { href: string } }).location?.href);
}
