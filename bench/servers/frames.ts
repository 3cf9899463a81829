/**
 * Pre-built WebSocket frames. The servers write these bytes straight to the socket, so sending
 * costs the server next to nothing and the figure measured is the client's cost alone. The bytes
 * are exactly what `ws`, engine.io or a Centrifuge server would put on the wire for the same
 * messages: unmasked (server to client), FIN, text opcode, no extension.
 */

import type { Socket } from 'node:net';

/** Encodes one unmasked final text frame. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x81, len]);
  } else if (len < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Concatenates `n` frames, frame i carrying `text(i)`. */
export function textFrames(n: number, text: (i: number) => string): Buffer {
  const parts: Buffer[] = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = textFrame(text(i));
  return Buffer.concat(parts);
}

/** Memoises one pre-built buffer per count, so repeated runs reuse it. */
export function perCount(build: (n: number) => Buffer): (n: number) => Buffer {
  const cache = new Map<number, Buffer>();
  return (n) => {
    let buf = cache.get(n);
    if (buf === undefined) {
      buf = build(n);
      cache.set(n, buf);
    }
    return buf;
  };
}

/**
 * The TCP socket under a `ws` server-side WebSocket. `ws` keeps it in `_socket`; reaching in is
 * the price of writing pre-built frames, and only the bench server does it.
 */
export function rawSocket(ws: unknown): Socket {
  const socket = (ws as { _socket?: Socket })._socket;
  if (socket === undefined) throw new Error('bench server: no _socket on the ws WebSocket (ws internals changed?)');
  return socket;
}
