// Feature detection lives here and only here: one `typeof` check per platform feature, read when
// a subscription starts (not at import), so polyfills installed after import still count.
import type { Capabilities } from './types.js';

/** True when this runtime has a global WebSocket constructor (browsers, Deno, Bun, Node ≥ 22). */
export const hasGlobalWebSocket = (): boolean => typeof globalThis.WebSocket === 'function';

/**
 * True when `fetch` responses expose a readable body. React Native's fetch and some polyfills do
 * not stream, and SSE cannot work without it.
 */
export const hasStreamingFetch = (): boolean =>
  typeof globalThis.ReadableStream === 'function' && typeof globalThis.Response === 'function' && 'body' in globalThis.Response.prototype;

/** What this runtime offers, given the constructors the caller passed. */
export function detectCapabilities(webSocket: unknown): Capabilities {
  return { websocket: typeof webSocket === 'function', streaming: hasStreamingFetch() };
}
