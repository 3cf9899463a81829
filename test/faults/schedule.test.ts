import { describe, expect, it } from 'vitest';
import { mulberry32, seedOf, shuffled } from './random.js';
import { DECK, DECK_SIZE, FAULT_KINDS, type FaultKind, planFor, statusOf } from './schedule.js';

describe('fault schedule', () => {
  it('is a pure function of seed and connection index', () => {
    const plans = (seed: number) => Array.from({ length: 200 }, (_, i) => planFor(seed, i, 1000));
    expect(plans(7)).toEqual(plans(7));
    expect(plans(8)).not.toEqual(plans(7));
    // Looking a connection up alone gives the same plan as walking up to it.
    expect(planFor(7, 123, 1000)).toEqual(plans(7)[123]);
  });

  it('deals every kind in each deck of connections, in the deck proportions', () => {
    for (const seed of [1, 2, 3]) {
      for (let deck = 0; deck < 4; deck++) {
        const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
        for (let i = deck * DECK_SIZE; i < (deck + 1) * DECK_SIZE; i++) counts[planFor(seed, i, 1000).kind]++;
        expect(counts).toEqual(DECK);
      }
    }
  });

  it('draws offsets over the whole range [0, maxCut], and none for status answers', () => {
    const plans = Array.from({ length: 2000 }, (_, i) => planFor(5, i, 1000));
    const offsets = plans.filter((p) => !statusOf(p.kind)).map((p) => p.at);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(1000);
    // Early cuts (inside response headers) and late ones both occur.
    expect(offsets.filter((at) => at < 100).length).toBeGreaterThan(50);
    expect(offsets.filter((at) => at > 900).length).toBeGreaterThan(50);
    expect(plans.filter((p) => statusOf(p.kind)).every((p) => p.at === 0)).toBe(true);
  });

  it('maps status kinds to their answer', () => {
    expect(statusOf('502')).toEqual({ status: 502, retryAfter: false });
    expect(statusOf('503-retry-after')).toEqual({ status: 503, retryAfter: true });
    expect(statusOf('stall')).toBeUndefined();
  });
});

describe('seeded randomness', () => {
  it('repeats a sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('derives different seeds for different labels', () => {
    expect(seedOf(1, 'sse')).toBe(seedOf(1, 'sse'));
    expect(new Set([seedOf(1, 'sse'), seedOf(1, 'poll'), seedOf(2, 'sse'), seedOf(1, 'sse', 0)]).size).toBe(4);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffled(items, mulberry32(3));
    expect(out).not.toEqual(items);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
  });
});
