/** The client kinds of the memory benchmark, shared by bench/memory.ts and its child process. */

/** Client kinds, by the name the child process takes. */
export const KINDS = [
  'ws',
  'node-http-createParser',
  'fetch-createParser',
  'eventsource',
  'anywire-sse',
  'anywire-ws',
  'anywire-node',
] as const;

export type Kind = (typeof KINDS)[number];

/** What the child process reports over IPC. */
export interface MemoryResult {
  kind: Kind;
  connections: number;
  /** heapUsed growth ÷ connections, in bytes. */
  heapPerConnection: number;
  /** `external` growth ÷ connections (Buffers and other off-heap memory), for context. */
  externalPerConnection: number;
}
