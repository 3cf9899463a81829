import { transportError } from '../core/errors.js';
import type { TransportName } from '../core/types.js';
import type { OwnContext } from './transport.js';

/**
 * Hands one JSON event `{ id?, event?, data }` to the subscription, or reports a `frame` error
 * when `value` is not one. Shared by every JSON transport, and by the events a WebSocket
 * `FrameCodec` returns, so they validate alike.
 */
export function deliverEnvelope(value: unknown, ctx: OwnContext, transport: TransportName): void {
  const envelope = value as { id?: unknown; event?: unknown; data?: unknown } | null;
  // A plain read first: `in` only for a data that reads undefined (absent, or a codec's undefined).
  if (typeof envelope === 'object' && envelope !== null && (envelope.data !== undefined || 'data' in envelope)) {
    const { id, event } = envelope;
    // [protocol §2] `id`: a string, a number (String()ed), or null/absent for none. `event`: a
    // string or absent; `"event": null` is rejected.
    const okId = id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
    if (okId && (event === undefined || typeof event === 'string')) {
      ctx._value(id == null ? undefined : String(id), event || 'message', envelope.data);
      return;
    }
  }
  ctx._error(transportError('frame', transport, `not an event (want { id?, event?, data }): ${preview(value)}`));
}

/** A short, safe rendering of bad input for error messages. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
