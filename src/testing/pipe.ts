/**
 * A response body the mock writes into while the client reads it through a real `ReadableStream`.
 *
 * @example
 * pipe.write(': ok\n\n');
 * pipe.fail('id: 7\ndata: {"half'); // the client reads the half, then the connection breaks
 */
export interface Pipe {
  /** The body to put in the `Response`. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The body has ended (either side) or broken. */
  readonly ended: boolean;
  /** Writes text (UTF-8). Ignored once ended. */
  write(text: string): void;
  /** Ends the body cleanly after what was written. */
  close(): void;
  /**
   * Breaks the body as a network failure would: the client's read rejects with a `TypeError`.
   * With `partial`, those bytes are written first and the break comes only when the client asks
   * for more, so the client really parses them before the connection dies.
   */
  fail(partial?: string): void;
}

const encoder = new TextEncoder();

/**
 * What the client sees when the mock breaks a body: what undici throws for a reset socket.
 *
 * @example
 * pipe.fail(); // the client's read rejects with broken()
 */
export const broken = (): TypeError => new TypeError('[anywire/testing] the mock server dropped the connection');

/**
 * Creates a {@link Pipe}. Aborting `signal` (the client's request signal) errors the body with
 * the signal's reason, as `fetch` does; `onEnd` runs once when the body ends for any reason.
 *
 * @example
 * const pipe = createPipe(init.signal ?? undefined, () => core.end(conn));
 * return new Response(pipe.stream, { headers: { 'content-type': 'text/event-stream' } });
 */
export function createPipe(signal: AbortSignal | undefined, onEnd: () => void): Pipe {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  let breaking: TypeError | undefined;
  const end = (): void => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener('abort', onAbort);
    onEnd();
  };
  const onAbort = (): void => {
    if (ended) return;
    controller.error(signal?.reason);
    end();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
      },
      // With a high-water mark of 0, pull runs only when the client waits for bytes and none are
      // queued: the moment to break after a partial write, with no timer involved.
      pull: () => {
        if (breaking) controller.error(breaking);
      },
      cancel: end,
    },
    { highWaterMark: 0 },
  );
  signal?.addEventListener('abort', onAbort, { once: true });

  return {
    stream,
    get ended() {
      return ended;
    },
    write(text) {
      if (!ended && !breaking) controller.enqueue(encoder.encode(text));
    },
    close() {
      if (ended || breaking) return;
      controller.close();
      end();
    },
    fail(partial) {
      if (ended || breaking) return;
      if (partial) {
        controller.enqueue(encoder.encode(partial));
        breaking = broken();
      } else controller.error(broken());
      end();
    },
  };
}
