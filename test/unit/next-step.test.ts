import { describe, expect, it } from 'vitest';
import { AnywireError } from '../../src/core/errors.js';
import { type LoopMemory, nextStep, type StepContext } from '../../src/policy/next-step.js';

const memory = (over: Partial<LoopMemory> = {}): LoopMemory => ({
  failures: 0,
  failedOpens: 0,
  authRetried: false,
  index: 0,
  length: 3,
  ...over,
});
const ctx = (over: Partial<StepContext> = {}): StepContext => ({
  policy: {},
  refreshableHeaders: false,
  serverRetry: undefined,
  backoff: () => 100,
  websocket: 0,
  ...over,
});
const status = (code: number, retryAfter?: number): AnywireError =>
  new AnywireError('http-status', `status ${code}`, { status: code, retryAfter });
const network = new AnywireError('network', 'down');
const refused = new AnywireError('closed-before-open', 'proxy said no');
const frozen = new AnywireError('first-frame-timeout', 'buffered');

describe('nextStep', () => {
  it('answers 426 Upgrade Required on an HTTP transport by going back to websocket, after a backoff delay', () => {
    const upgrade = new AnywireError('http-status', 'sse: the server answered 426', { status: 426, transport: 'sse' });
    const m = memory({ index: 1, failedOpens: 1 });
    expect(nextStep({ error: upgrade, confirmed: false }, m, ctx({ backoff: () => 700 }))).toMatchObject({
      kind: 'retry',
      delay: 700,
      switchTo: 0,
    });
    expect(m).toMatchObject({ failures: 1, failedOpens: 0 });
  });

  it('closes on 426 when websocket is not in the chain, saying so', () => {
    const upgrade = new AnywireError('http-status', 'poll: the server answered 426', { status: 426, transport: 'poll' });
    const step = nextStep({ error: upgrade, confirmed: false }, memory(), ctx({ websocket: -1 }));
    expect(step).toMatchObject({ kind: 'close', error: { status: 426 } });
    expect(step.kind === 'close' && step.error.message).toMatch(/websocket is not in the transport list/);
  });

  it.each([401, 403, 404, 410])('closes on %i', (code) => {
    expect(nextStep({ error: status(code), confirmed: false }, memory(), ctx())).toMatchObject({ kind: 'close', error: { status: code } });
  });

  it.each([408, 425, 429, 500, 502, 503])('retries %i after a backoff delay', (code) => {
    expect(nextStep({ error: status(code), confirmed: true }, memory(), ctx())).toEqual({
      kind: 'retry',
      delay: 100,
      headers: 'reconnect',
    });
  });

  it('closes on a wrong content type', () => {
    expect(nextStep({ error: new AnywireError('content-type', 'html'), confirmed: false }, memory(), ctx()).kind).toBe('close');
  });

  it('never retries sooner than Retry-After or the stream retry: hint, and adds the jittered delay on top', () => {
    expect(nextStep({ error: status(503, 7000), confirmed: false }, memory(), ctx())).toMatchObject({ delay: 7100 });
    expect(nextStep({ error: network, confirmed: true }, memory(), ctx({ serverRetry: 3000 }))).toMatchObject({ delay: 3100 });
    expect(nextStep({ error: status(429, 2000), confirmed: true }, memory(), ctx({ serverRetry: 3000 }))).toMatchObject({ delay: 3100 });
  });

  it('returns from a failed probe of the preferred transport to the working fallback at once', () => {
    const m = memory({ index: 0, probe: 2 });
    expect(nextStep({ error: network, confirmed: false }, m, ctx())).toMatchObject({ kind: 'retry', delay: 0, switchTo: 2 });
    expect(m).toMatchObject({ probe: undefined, failures: 0 });
  });

  it('stays on the preferred transport when the probe worked', () => {
    const m = memory({ index: 0, probe: 2 });
    expect(nextStep({ error: undefined, confirmed: true }, m, ctx())).not.toHaveProperty('switchTo');
    expect(m.probe).toBeUndefined();
  });

  it('answers one 401 by refreshing headers at once, and closes on a second in a row', () => {
    const m = memory();
    const c = ctx({ refreshableHeaders: true });
    expect(nextStep({ error: status(401), confirmed: false }, m, c)).toEqual({ kind: 'retry', delay: 0, headers: 'unauthorized' });
    expect(nextStep({ error: status(401), confirmed: false }, m, c).kind).toBe('close');
  });

  it('allows another 401 refresh once a connection worked in between', () => {
    const m = memory();
    const c = ctx({ refreshableHeaders: true });
    nextStep({ error: status(401), confirmed: false }, m, c);
    nextStep({ error: network, confirmed: true }, m, c);
    expect(nextStep({ error: status(401), confirmed: false }, m, c)).toMatchObject({ headers: 'unauthorized' });
  });

  it('moves to the next transport after two failed opens in a row, at once', () => {
    const m = memory();
    expect(nextStep({ error: refused, confirmed: false }, m, ctx()).kind).toBe('retry');
    expect(nextStep({ error: frozen, confirmed: false }, m, ctx())).toMatchObject({ kind: 'retry', delay: 0, switchTo: 1 });
    expect(m.failedOpens).toBe(0);
  });

  it('does not fall back for network errors or 5xx: the next transport would fail the same way', () => {
    const m = memory();
    for (const error of [network, network, status(502), status(503), network]) {
      expect(nextStep({ error, confirmed: false }, m, ctx())).not.toHaveProperty('switchTo');
    }
  });

  it('keeps retrying the last transport in the list', () => {
    const m = memory({ index: 2 });
    for (let i = 0; i < 5; i++) expect(nextStep({ error: refused, confirmed: false }, m, ctx())).not.toHaveProperty('switchTo');
  });

  it('does not fall back when the server asked to wait (Retry-After)', () => {
    const m = memory();
    nextStep({ error: status(503, 1000), confirmed: false }, m, ctx());
    expect(nextStep({ error: status(503, 1000), confirmed: false }, m, ctx())).not.toHaveProperty('switchTo');
  });

  it('moves on at once from an unsupported transport, and closes when none is left', () => {
    const unsupported = new AnywireError('unsupported-transport', 'no body');
    expect(nextStep({ error: unsupported, confirmed: false }, memory(), ctx())).toMatchObject({ switchTo: 1, delay: 0 });
    expect(nextStep({ error: unsupported, confirmed: false }, memory({ index: 2 }), ctx()).kind).toBe('close');
  });

  it('gives up after maxAttempts failures in a row', () => {
    const m = memory({ index: 2 });
    const c = ctx({ policy: { maxAttempts: 2 } });
    expect(nextStep({ error: network, confirmed: false }, m, c).kind).toBe('retry');
    expect(nextStep({ error: network, confirmed: false }, m, c).kind).toBe('retry');
    expect(nextStep({ error: network, confirmed: false }, m, c)).toMatchObject({
      kind: 'close',
      error: { code: 'max-attempts', cause: network },
    });
  });

  it('lets shouldRetry override the classification both ways', () => {
    const retry404 = ctx({ policy: { shouldRetry: (e) => e.status === 404 } });
    expect(nextStep({ error: status(404), confirmed: true }, memory(), retry404).kind).toBe('retry');
    expect(nextStep({ error: network, confirmed: true }, memory(), retry404).kind).toBe('close');
  });

  it('closes on any end when reconnect is off', () => {
    expect(nextStep({ error: undefined, confirmed: true }, memory(), ctx({ policy: false }))).toMatchObject({
      kind: 'close',
      error: { code: 'network' },
    });
    expect(nextStep({ error: network, confirmed: true }, memory(), ctx({ policy: false })).kind).toBe('close');
  });

  it('backs off after a clean end, and after a failed delta without counting it as a failed open', () => {
    const m = memory();
    expect(nextStep({ error: undefined, confirmed: true }, m, ctx())).toMatchObject({ kind: 'retry', delay: 100 });
    nextStep({ error: new AnywireError('delta', 'bad'), confirmed: true }, m, ctx());
    expect(m).toMatchObject({ failures: 2, failedOpens: 0 });
  });

  it('draws a backoff delay only when one is due', () => {
    let draws = 0;
    const c = ctx({ refreshableHeaders: true, backoff: () => ++draws });
    nextStep({ error: status(401), confirmed: false }, memory(), c);
    nextStep({ error: status(404), confirmed: false }, memory(), c);
    expect(draws).toBe(0);
  });
});
