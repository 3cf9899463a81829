/**
 * What a throughput client is. Each figure's clients live in one file of this folder (sse.ts,
 * ws.ts) and run one at a time in a process of their own (lib/rate-child.ts), so no client's JIT
 * state, garbage or loaded code reaches another's measurement.
 */

import type { ServerPorts } from '../servers/main.js';

/** Receives one stream of `n` messages and resolves with the parsed data of the last one. */
export type Client = (n: number) => Promise<unknown>;

/** Builds a client: loads its code and connects nothing yet, so its setup is not timed. */
export type ClientFactory = (ports: ServerPorts) => Client | Promise<Client>;

/** The figures whose clients run through lib/rate-child.ts. */
export const CLIENT_FIGURES = ['sse', 'ws'] as const;

export type ClientFigure = (typeof CLIENT_FIGURES)[number];
