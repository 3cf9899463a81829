/**
 * The events every benchmark sends: small, realistic market ticks. Servers and clients import this
 * one file so a client can check it received exactly what was sent.
 */

/** `t` of event 0; event i carries `T0 + i`, so the last event proves the count. */
export const T0 = 1_700_000_000_000;

const SYMBOLS = ['ABC', 'XYZ', 'QRS', 'LMN'] as const;

/** The shape of one event's data. */
export interface Tick {
  sym: string;
  px: number;
  t: number;
}

/** The JSON text of event `i`'s data, e.g. `{"sym":"ABC","px":123.45,"t":1700000000000}`. */
export function tickJson(i: number): string {
  const sym = SYMBOLS[i % SYMBOLS.length] ?? 'ABC';
  // Two decimals, never a round number, so JSON.parse does real float work.
  const px = 100 + ((i * 7919) % 10_000) / 100 + 0.01;
  return `{"sym":"${sym}","px":${px.toFixed(2)},"t":${T0 + i}}`;
}

/** anywire's WebSocket envelope for event `i` (docs/protocol.md): one JSON event per text frame. */
export function envelopeJson(i: number): string {
  return `{"id":"${i + 1}","event":"message","data":${tickJson(i)}}`;
}

/** One SSE block for event `i`, with an `id:` line as a resumable server sends it. */
export function sseBlock(i: number): string {
  return `id: ${i + 1}\ndata: ${tickJson(i)}\n\n`;
}

/** Throws unless `last` is the data of the final event of a stream of `n`. */
export function checkLast(last: unknown, n: number, who: string): void {
  const t = (last as Partial<Tick> | undefined)?.t;
  if (t !== T0 + n - 1) {
    throw new Error(`${who}: last event has t=${String(t)}, expected ${T0 + n - 1}`);
  }
}
