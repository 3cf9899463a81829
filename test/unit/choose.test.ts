import { describe, expect, it } from 'vitest';
import { chooseTransport } from '../../src/policy/choose.js';

describe('chooseTransport', () => {
  it('defaults to receive, 1 s staleness, 1 msg/s: sse, then long-poll, then poll every 1 s', () => {
    expect(chooseTransport()).toMatchObject({ transport: 'sse', fallbacks: ['long-poll', 'poll'], pollInterval: 1000 });
  });

  it("picks websocket for direction 'both', falling back to sse then long-poll", () => {
    const choice = chooseTransport({ direction: 'both' });
    expect(choice).toMatchObject({ transport: 'websocket', fallbacks: ['sse', 'long-poll'] });
    expect(choice.pollInterval).toBeUndefined();
  });

  it('polls every `staleness` ms when staleness is 5 s or more', () => {
    expect(chooseTransport({ staleness: 5000 })).toMatchObject({ transport: 'poll', fallbacks: [], pollInterval: 5000 });
    expect(chooseTransport({ staleness: 60_000, frequency: 50 })).toMatchObject({ transport: 'poll', pollInterval: 60_000 });
  });

  it('long-polls rare events under 5 s staleness', () => {
    expect(chooseTransport({ staleness: 4999, frequency: 0.09 })).toMatchObject({ transport: 'long-poll', fallbacks: ['poll'] });
    expect(chooseTransport({ staleness: 4999, frequency: 0.1 }).transport).toBe('sse');
  });

  it('drops what the runtime lacks and says why', () => {
    const noWs = chooseTransport({ direction: 'both' }, { websocket: false });
    expect(noWs).toMatchObject({ transport: 'sse', fallbacks: ['long-poll'] });
    expect(noWs.reasons.join('\n')).toMatch(/websocket skipped: no WebSocket/);
    expect(chooseTransport({}, { streaming: false })).toMatchObject({ transport: 'long-poll', fallbacks: ['poll'] });
  });

  it('keeps only what the server offers', () => {
    expect(chooseTransport({}, { offered: ['poll'] })).toMatchObject({ transport: 'poll', fallbacks: [] });
  });

  it('throws an unsupported-transport error naming the fix when nothing is left', () => {
    expect(() => chooseTransport({ direction: 'both' }, { websocket: false, offered: ['websocket'] })).toThrow(
      expect.objectContaining({ code: 'unsupported-transport', message: expect.stringContaining("pass `WebSocket` from 'ws'") }),
    );
  });

  it('gives at least one reason for every choice', () => {
    for (const requirements of [{}, { direction: 'both' as const }, { staleness: 9000 }, { frequency: 0.01 }]) {
      expect(chooseTransport(requirements).reasons.length).toBeGreaterThan(0);
    }
  });
});

describe('silence budget', () => {
  it('covers a poll interval and a long-poll hold, and is the timeout otherwise', async () => {
    const { silenceBudget, holdSeconds } = await import('../../src/policy/liveness.js');
    expect(silenceBudget('sse', 45_000, 1000)).toBe(45_000);
    expect(silenceBudget('poll', 45_000, 5000)).toBe(50_000);
    expect(holdSeconds(45_000)).toBe(27);
    expect(silenceBudget('long-poll', 45_000, 1000)).toBe(45_000);
    expect(holdSeconds(300)).toBe(1); // RFC 7240 wait is whole seconds
    expect(silenceBudget('long-poll', 300, 1000)).toBe(1667);
  });
});
