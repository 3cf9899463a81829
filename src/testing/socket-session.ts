import type { ServerCore } from './server-core.js';
import { PONG, socketFrame } from './wire.js';

/**
 * The server end of one WebSocket, as the mock drives it. The mock's own `WebSocket` class and the
 * mock-socket adapter each supply one, so both speak the same protocol.
 *
 * @example
 * const peer: SocketPeer = { accept, send: (frame) => socket.send(frame), close, abort, refuse };
 */
export interface SocketPeer {
  /** Completes the handshake: the client's `open` follows. */
  accept(): void;
  /** Sends one text frame. */
  send(frame: string): void;
  /** Closes with a code: 1000 (clean) or 4000 + an HTTP status. */
  close(code: number, reason: string): void;
  /** Breaks the socket as a network failure would (close code 1006; before open, a failed open). */
  abort(): void;
  /** Refuses the upgrade with an HTTP status, as the 'ws' package reports it (`unexpected-response`). */
  refuse(status: number, headers: Record<string, string>): void;
}

/**
 * What the transport's front door tells the session.
 *
 * @example
 * socket.on('message', (data) => session.receive(String(data)));
 */
export interface SocketSession {
  /** The client sent a text frame. */
  receive(frame: string): void;
  /** The socket is closed (by the client, or after the server closed it). Idempotent. */
  closed(): void;
}

/**
 * Serves one WebSocket: registers the connection (its resume position comes from the
 * `lastEventId` query), answers as the test arranged, then writes the backlog and every event
 * emitted while it is open, one JSON frame each, and answers pings with pongs.
 *
 * @example
 * const session = openSocketSession(core, new URL(socket.url), {}, peer);
 * session.receive('{"event":"ping"}'); // the peer is sent {"event":"pong"}
 */
export function openSocketSession(core: ServerCore, url: URL, headers: Record<string, string>, peer: SocketPeer): SocketSession {
  const lastEventId = url.searchParams.get('lastEventId') ?? undefined;
  const answer = core.admit('websocket', url.href, lastEventId, headers);
  const { conn } = answer;
  switch (answer.kind) {
    case 'serve':
      peer.accept();
      for (const e of core.backlog(lastEventId)) peer.send(socketFrame(e));
      core.attach(conn, {
        push: (e) => peer.send(socketFrame(e)),
        // A frame is all or nothing: a break "mid-event" loses the frame whole.
        end: (drop) => {
          core.end(conn);
          if (drop.clean) peer.close(1000, '');
          else peer.abort();
        },
        dispose: () => {},
      });
      break;
    case 'silent':
      peer.accept(); // the handshake completes, then nothing: a half-open socket
      break;
    case 'status':
      if (answer.websocket === 'close-code') {
        peer.accept();
        peer.close(4000 + answer.status, `mock server: ${answer.status}`);
      } else peer.refuse(answer.status, answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter });
      break;
    default:
      peer.abort();
  }
  return {
    receive(frame) {
      conn.record.frames.push(frame);
      if (conn.blackholed || !conn.record.open) return; // half-open: the server never gets it
      let value: { event?: unknown; data?: unknown } | null;
      try {
        value = JSON.parse(frame);
      } catch {
        return; // like examples/server.ts, the mock ignores frames it cannot read
      }
      const event = typeof value?.event === 'string' ? value.event : 'message';
      if (event === 'ping') {
        if (core.pong) peer.send(PONG);
      } else if (event !== 'pong') core.receive({ event, data: value?.data, via: 'frame', headers: {} });
    },
    closed: () => core.end(conn),
  };
}
