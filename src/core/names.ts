// The two names every part of anywire speaks; their own file, so that errors.ts and types.ts
// need not import each other.

/** The four ways anywire can move events. */
export type TransportName = 'websocket' | 'sse' | 'long-poll' | 'poll';

/** The lifecycle of a subscription. `closed` is final. */
export type Status = 'connecting' | 'open' | 'reconnecting' | 'closed';
