/** One event read from a WebSocket frame, as a {@link FrameCodec} returns it. */
export interface FrameEvent {
  /** The event's id (its resume position), if the server gives one. */
  id?: string | number | undefined;
  /** The event name. @defaultValue `'message'` */
  event?: string | undefined;
  /** The data, already a value (not text). */
  data: unknown;
}

/**
 * How a WebSocket server's own frames map to anywire events, for servers that do not speak
 * docs/protocol.md's `{ id?, event?, data }` frames. Pass it as `subscribe({ frame })`.
 * (Implemented in the websocket transport; see docs/protocol.md "Existing WebSocket servers".)
 */
export interface FrameCodec {
  /**
   * Reads one text frame: an event, a list of events, or `undefined` for a frame that is not an
   * event (an acknowledgement, a pong). Throwing reports a `frame` error; the connection goes on.
   */
  decode(frame: string): FrameEvent | readonly FrameEvent[] | undefined;
  /** Builds the frame `send(data, event)` sends. @defaultValue `JSON.stringify({ event, data })` */
  encode?(data: unknown, event: string): string;
}
