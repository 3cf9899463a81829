import { isAnywireError, transportError } from '../core/errors.js';
import { expect, request, withLastEventId } from './http.js';
import { createSseParser } from './sse-parser.js';
import type { ConnectContext, OwnContext, Transport } from './transport.js';

/**
 * Server-Sent Events over fetch streaming (not EventSource, so headers and POST-free auth work
 * everywhere). Resumes with the Last-Event-ID request header. See docs/protocol.md.
 */
export const sse: Transport = {
  name: 'sse',
  async connect(context: ConnectContext): Promise<void> {
    const ctx = context as OwnContext;
    const init: RequestInit = {
      headers: withLastEventId({ accept: 'text/event-stream', ...ctx.headers }, ctx._last()),
      signal: ctx.signal,
      cache: 'no-store',
    };
    const response = await request(ctx.fetch, ctx.url, init, 'sse');
    // [spec] 200 with text/event-stream announces the connection; 204 means "stop reconnecting".
    expect(response, (status) => status === 200, 'text/event-stream', 'sse');
    if (!response.body) {
      throw transportError('unsupported-transport', 'sse', 'this fetch cannot stream response bodies (React Native?); use long-poll');
    }
    ctx._open();
    // Past maxEventSize, feed() throws `too-large`: the connection ends after the last event that
    // fit, and the loop resumes from it.
    const parser = createSseParser(ctx, { maxEventSize: ctx.maxEventSize });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        ctx._act();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (cause) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (isAnywireError(cause)) throw cause;
      throw transportError('network', 'sse', 'the stream broke', cause);
    } finally {
      reader.cancel().catch(() => {});
    }
  },
};
