// How the mock encodes events on each transport: exactly the bytes examples/server.ts sends
// (docs/protocol.md), so the client's real parsers run on them.

/**
 * An event as it goes on the wire; reserved events (`gap`) have no id.
 *
 * @example
 * const gap: WireEvent = { event: 'gap', data: null };
 */
export interface WireEvent {
  readonly id?: string | undefined;
  readonly event: string;
  readonly data: unknown;
}

/**
 * The comment an SSE stream opens with: the client's first-frame deadline sees it is alive.
 *
 * @example
 * pipe.write(SSE_HELLO);
 */
export const SSE_HELLO = ': ok\n\n';
/**
 * The comment an idle SSE stream sends every `keepalive` ms.
 *
 * @example
 * pipe.write(SSE_KEEPALIVE);
 */
export const SSE_KEEPALIVE = ': keepalive\n\n';
/**
 * The server's answer to the client's `{"event":"ping"}` heartbeat frame.
 *
 * @example
 * peer.send(PONG);
 */
export const PONG = '{"event":"pong"}';

/**
 * `{ id?, event, data }`: one event of a JSON transport. `undefined` data goes out as `null`.
 *
 * @example
 * envelope({ id: '1', event: 'message', data: undefined }); // { id: '1', event: 'message', data: null }
 */
export function envelope(e: WireEvent): { id?: string; event: string; data: unknown } {
  const data = e.data === undefined ? null : e.data;
  return e.id === undefined ? { event: e.event, data } : { id: e.id, event: e.event, data };
}

/**
 * One SSE block. JSON text has no raw newline, so one `data:` line always holds it.
 *
 * @example
 * sseEvent({ id: '1', event: 'price', data: 10 }); // 'id: 1\nevent: price\ndata: 10\n\n'
 */
export function sseEvent(e: WireEvent): string {
  return `${e.id === undefined ? '' : `id: ${e.id}\n`}event: ${e.event}\ndata: ${JSON.stringify(envelope(e).data)}\n\n`;
}

/**
 * A long-poll or poll response body.
 *
 * @example
 * pollBody([{ id: '1', event: 'message', data: 'a' }]); // '{"events":[{"id":"1","event":"message","data":"a"}]}'
 */
export function pollBody(events: readonly WireEvent[]): string {
  return JSON.stringify({ events: events.map(envelope) });
}

/**
 * One WebSocket text frame.
 *
 * @example
 * socketFrame({ id: '2', event: 'message', data: 'b' }); // '{"id":"2","event":"message","data":"b"}'
 */
export function socketFrame(e: WireEvent): string {
  return JSON.stringify(envelope(e));
}

/**
 * The first half of `text`: what reaches the client when a connection breaks mid-write.
 *
 * @example
 * firstHalf('abcdef'); // 'abc'
 */
export function firstHalf(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
