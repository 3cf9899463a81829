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
 *
 * With a codec, anywire's own WebSocket protocol is off: the client sends no `{"event":"ping"}`
 * frames and no `lastEventId` query parameter, and answers no server pings; `ping`, `reply` and
 * `resume` say how, if the server has its own. `send()` still sends `{ event, data }` unless
 * `encode` frames it. The events `decode` returns are checked like anywire's own
 * (docs/protocol.md section 2): an invalid one is a `frame` error, and the socket stays open.
 * Frames are bounded by `maxEventSize` as usual.
 *
 * @example
 * // A Binance-style combined stream: {"stream":"btcusdt@trade","data":{...}}
 * const binance: FrameCodec = {
 *   decode: (frame) => {
 *     const { stream, data } = JSON.parse(frame);
 *     return stream === undefined ? undefined : { event: stream, data };
 *   },
 *   open: () => [JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 })],
 * };
 */
export interface FrameCodec {
  /**
   * Reads one text frame: an event, a list of events, or `undefined` for a frame that is not an
   * event (an acknowledgement, a pong). Throwing reports a `frame` error; the connection goes on.
   */
  decode(frame: string): FrameEvent | readonly FrameEvent[] | undefined;
  /**
   * Builds the frame `send(data, event)` sends.
   * @defaultValue `JSON.stringify({ event, data })`
   */
  encode?(data: unknown, event: string): string;
  /**
   * A frame to send right after open and every `heartbeat.interval`, if the server answers one.
   * Without it the client sends no pings: liveness then rests on the server's own traffic (any
   * frame counts) and `heartbeat.timeout`.
   * @defaultValue none
   * @example
   * ping: '{"type":"ping"}'
   */
  ping?: string | undefined;
  /**
   * Answers a server's own heartbeat: called with every text frame before `decode`; a string it
   * returns is sent back at once and the frame is not decoded. Throwing reports a `frame` error.
   * @example
   * reply: (frame) => (frame === '{"type":"ping"}' ? '{"type":"pong"}' : undefined)
   */
  reply?(frame: string): string | undefined;
  /**
   * Puts the resume position in the URL of a reconnect; called only when there is a position
   * (a non-empty id from an earlier event). It may change `url` and return it.
   * @defaultValue none: the URL is left as it is, since a server with its own protocol does not
   * know anywire's `lastEventId` parameter (and some refuse unknown ones). Resume by `open`
   * instead when the server takes the position in a message.
   * @example
   * resume: (url, id) => {
   *   url.searchParams.set('fromId', id);
   *   return url;
   * }
   */
  resume?(url: URL, lastEventId: string): URL;
  /**
   * Frames to send right after the socket opens, before anything else (a `SUBSCRIBE` message,
   * an authentication frame). Gets the resume position, if there is one.
   * @defaultValue none
   */
  open?(lastEventId: string | undefined): readonly string[];
}
