// Feature detection lives here and only here, read when a subscription starts (not at import), so
// polyfills installed after import still count. The WebSocket constructor is detected where it is
// resolved (an option, the global, or the 'ws' fallback): see subscription.ts and plan.ts.

/**
 * True when `fetch` responses expose a readable body. React Native's fetch and some polyfills do
 * not stream, and SSE cannot work without it.
 */
export const hasStreamingFetch = (): boolean =>
  typeof globalThis.ReadableStream === 'function' && typeof globalThis.Response === 'function' && 'body' in globalThis.Response.prototype;
