/** What every benchmark of bench/run.ts receives. */

import type { LoadedAnywire } from './anywire.js';
import type { ServerPorts } from './servers.js';

export interface BenchContext {
  /** Ports of the server process (bench/servers/main.ts), all on 127.0.0.1. */
  ports: ServerPorts;
  /** anywire, or why it is not measured in this run. */
  anywire: LoadedAnywire;
  /** `--smoke`: tiny counts, checks that the harness runs; its numbers mean nothing. */
  smoke: boolean;
  /** Measured rounds per contender (interleaved). */
  rounds: number;
  /** Unmeasured warm-up rounds before them. */
  warmup: number;
  /** Progress output (stderr), so stdout carries only the tables. */
  log(line: string): void;
}

/** The note on anywire's rows: where it was loaded from, or why it is a TODO. */
export function anywireNote(ctx: BenchContext): string {
  return ctx.anywire.api !== undefined ? `from ${ctx.anywire.from}` : `TODO: anywire not loaded (${ctx.anywire.why})`;
}
