import { transportError } from '../core/errors.js';
import { delay } from '../core/timers.js';
import { deliverEnvelope, preview } from './envelope.js';
import { expect, readText, request, withLastEventId } from './http.js';
import type { OwnContext, Transport } from './transport.js';

/**
 * A long poll that answers empty faster than this is treated as misbehaving: the next request
 * waits out the rest of this floor, so a broken server cannot turn the loop into a flood.
 */
const LONG_POLL_FLOOR = 1000;

/**
 * Long polling: GET with Last-Event-ID; the server holds until events exist and answers
 * `200 { "events": [...] }`, or 204 when its hold ends empty; the client asks again at once.
 * One request in flight. The heartbeat timeout is the client-side request timeout, so it must be
 * above the server's hold time (docs/protocol.md).
 */
export const longPoll: Transport = { name: 'long-poll', connect: (ctx) => pollLoop(ctx as OwnContext, true) };

/** Short polling: the long-poll request, answered at once, every `pollInterval` ms. */
export const poll: Transport = { name: 'poll', connect: (ctx) => pollLoop(ctx as OwnContext, false) };

async function pollLoop(ctx: OwnContext, hold: boolean): Promise<void> {
  const name = hold ? 'long-poll' : 'poll';
  for (let opened = false; ; ) {
    const started = ctx.timers.now();
    // `Prefer: wait=N` (RFC 7240) is what tells the server to hold: long-poll and poll may share a URL.
    const init: RequestInit = {
      headers: withLastEventId({ accept: 'application/json', ...(hold && { prefer: `wait=${ctx.hold}` }), ...ctx.headers }, ctx._last()),
      signal: ctx.signal,
      cache: 'no-store',
    };
    const response = await request(ctx.fetch, ctx.url, init, name);
    expect(response, (status) => status === 200 || status === 204, 'application/json', name);
    if (!opened) ctx._open();
    opened = true;
    ctx._act();
    const position = ctx._last();
    if (response.status !== 204) await deliverBody(response, ctx, name);
    if (!hold) await ctx._pause(ctx.pollInterval);
    else if (ctx._last() === position) {
      // Answered without moving the position (empty, only duplicates, a gap it repeats...).
      const early = LONG_POLL_FLOOR - (ctx.timers.now() - started);
      if (early > 0) await delay(ctx.timers, early, ctx.signal);
    }
  }
}

/** Delivers the events of one response body. Bad bodies are reported, not thrown. */
async function deliverBody(response: Response, ctx: OwnContext, name: 'long-poll' | 'poll'): Promise<void> {
  const text = await readText(response, ctx.maxEventSize, name, ctx.signal);
  ctx._act();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    // The position did not move, so the next request asks for the same events again: nothing lost.
    ctx._error(transportError('frame', name, `the body is not JSON: ${preview(text)}`, cause));
    return;
  }
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) {
    ctx._error(transportError('frame', name, `want { "events": [...] }, got ${preview(body)}`));
    return;
  }
  for (const event of events) deliverEnvelope(event, ctx, name);
}
