import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStorm, STORM_POLICIES, type StormRow } from '../bench/storm.js';
import { createBackoff, DEFAULT_RECONNECT } from '../src/policy/backoff.js';

// A deterministic simulation, not a timing test: 10,000 seeded clients, the published setup.
const rows = runStorm();
const DEFAULT = 'anywire default';
const anchors = STORM_POLICIES.map((p) => p.name).filter((name) => name !== DEFAULT);

function row(policy: string, outage: number): StormRow {
  const found = rows.find((r) => r.policy === policy && r.outage === outage);
  if (!found) throw new Error(`no row for ${policy} at ${outage} ms`);
  return found;
}

describe('reconnect storm: the default policy meets its goals', () => {
  it.each(anchors.flatMap((anchor) => [10_000, 60_000].map((outage) => [anchor, outage] as const)))(
    'beats %s on peak × t99 after a %d ms outage',
    (anchor, outage) => {
      expect(row(DEFAULT, outage).product).toBeLessThan(row(anchor, outage).product);
    },
  );

  it.each([2000, 10_000, 60_000])('keeps the peak at or under 3%% of clients per 100 ms after a %d ms outage', (outage) => {
    expect(row(DEFAULT, outage).peak).toBeLessThanOrEqual(3);
  });

  it('retries a lone client within 1 s of losing the connection, whatever the random draw', () => {
    expect(createBackoff(DEFAULT_RECONNECT, () => 1 - Number.EPSILON).next()).toBeLessThanOrEqual(1000);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (random) => {
        expect(createBackoff(undefined, () => random).next()).toBeLessThanOrEqual(1000);
      }),
    );
  });

  it('still beats every anchor at 10 s and 60 s with other seeds, so the choice is not an accident of seed 1', () => {
    for (const seed of [2, 3, 4]) {
      const other = runStorm({ seed, outages: [10_000, 60_000] });
      for (const outage of [10_000, 60_000]) {
        const mine = other.find((r) => r.policy === DEFAULT && r.outage === outage);
        for (const r of other.filter((r) => r.policy !== DEFAULT && r.outage === outage)) {
          expect(mine?.product).toBeLessThan(r.product);
        }
        expect(mine?.peak).toBeLessThanOrEqual(3);
      }
    }
  });
});

describe('reconnect storm: the simulation', () => {
  it('is deterministic for a seed', () => {
    const options = { clients: 500, outages: [10_000] };
    expect(runStorm(options)).toEqual(runStorm(options));
  });

  it('reproduces the anchors: socket.io ~17 %·s, full jitter to 30 s ~45 %·s, no jitter all at once', () => {
    const socketIo = row('socket.io (1 s ×2 ±50%, clamp 5 s)', 10_000);
    expect(socketIo.product).toBeGreaterThan(14);
    expect(socketIo.product).toBeLessThan(20);
    const full = row('full jitter (1 s ×2, 30 s cap)', 10_000);
    expect(full.product).toBeGreaterThan(38);
    expect(full.product).toBeLessThan(55);
    for (const outage of [2000, 10_000, 60_000]) expect(row('no jitter (1 s ×2, 30 s cap)', outage).peak).toBe(100);
  });

  it('brings every client back, counted once, in its histogram', () => {
    for (const r of rows) {
      expect(r.histogram.reduce((sum, share) => sum + share, 0)).toBeCloseTo(100, 6);
      expect(r.t99).toBeGreaterThanOrEqual(0);
    }
  });
});
