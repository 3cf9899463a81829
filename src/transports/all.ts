import { longPoll, poll } from './http-poll.js';
import { sse } from './sse.js';
import type { Transport } from './transport.js';
import { websocket } from './websocket.js';

/** Every transport, in the order `subscribe` offers them. */
export const allTransports: readonly Transport[] = [websocket, sse, longPoll, poll];
