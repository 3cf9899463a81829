// @vitest-environment happy-dom
/**
 * examples/react's useLiveState under <StrictMode>, rendered by react-dom/client into a happy-dom
 * document, against the reference server on 127.0.0.1. The page's origin is the server's, as it
 * is behind the example's dev proxy, so the hook subscribes to a relative URL.
 *
 * React work is flushed with act(): each step waits for an anywire event inside act(), and act()
 * commits everything that event scheduled before it returns. No sleeps.
 */
import { act, createElement, Profiler, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, type DashboardState, EMPTY } from '../../examples/react/src/metrics.js';
import { type LiveState, useLiveState } from '../../examples/react/src/useLiveState.js';
import { type ReferenceServer, startReferenceServer } from '../../examples/server.js';
import { applyJsonPatch, jsonPatch, type TransportName } from '../../src/index.js';
import { next, until } from '../helpers/wait.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** What the probe saw on its last render, and how many times React committed it. */
interface Seen {
  live: LiveState<DashboardState> | undefined;
  commits: number;
}

function Probe({ transport, seen }: { transport: TransportName; seen: Seen }) {
  const live = useLiveState<DashboardState>({ url: '/', transport, delta: jsonPatch, initial: EMPTY });
  seen.live = live;
  return createElement('output', { 'data-status': live.status }, live.state.metrics.map((m) => m.value).join(' '));
}

let server: ReferenceServer;
let state: DashboardState;
let root: Root | undefined;
let container: HTMLElement;
let seen: Seen;

beforeEach(async () => {
  state = createMetrics(4, () => 0.5);
  server = await startReferenceServer({ snapshot: () => state });
  // Same origin as the server: the page as the example's dev proxy serves it.
  (globalThis as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.url);
  container = document.createElement('div');
  document.body.append(container);
  seen = { live: undefined, commits: 0 };
});

afterEach(async () => {
  if (root) await act(async () => root?.unmount());
  root = undefined;
  container.remove();
  await server.close();
});

/** Changes the server's state and publishes the change as a delta; returns the event id. */
function publish(patch: unknown[]): string {
  state = applyJsonPatch(state, patch);
  return server.publish(patch, 'delta');
}

/** Mounts the probe in <StrictMode> and waits until it shows the server's snapshot. */
async function mount(transport: TransportName) {
  const tree = createElement(
    StrictMode,
    null,
    createElement(Profiler, { id: 'probe', onRender: () => void seen.commits++ }, createElement(Probe, { transport, seen })),
  );
  root = createRoot(container);
  await act(async () => root?.render(tree));
  const sub = seen.live?.subscription;
  if (!sub) throw new Error('useLiveState did not subscribe in its effect');
  await act(() => until(sub, () => sub.status === 'open' && sub.getSnapshot() !== EMPTY));
  return sub;
}

/** Resolves once `condition()` holds; for the server's side, which has no events to wait on. */
async function eventually(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const rendered = (): string | null | undefined => container.querySelector('output')?.textContent;
const values = (s: DashboardState): string => s.metrics.map((m) => m.value).join(' ');

describe.each(['websocket', 'sse', 'long-poll'] as const)('useLiveState in <StrictMode> over %s', (transport) => {
  it("leaves exactly one open connection after StrictMode's mount, unmount, mount, and none after unmount", async () => {
    const sub = await mount(transport);
    // A round trip on the kept subscription: a second one, started in the same tick, would be
    // connected by now.
    const id = publish([{ op: 'replace', path: '/metrics/0/value', value: 1234.5 }]);
    await act(() => next(sub, 'message', (m) => m.id === id));
    expect(rendered()).toBe(values(state));
    expect(container.querySelector('output')?.getAttribute('data-status')).toBe('open');

    // One subscription ever reached the server: the first one was closed before it started.
    // (A long poll makes a request per answer; only a subscription's first comes without a position.)
    expect(server.connections.filter((c) => c.lastEventId === undefined)).toHaveLength(1);
    await eventually(() => server.open() === 1);
    expect(server.open()).toBe(1);

    await act(async () => root?.unmount());
    root = undefined;
    expect(sub.status).toBe('closed');
    await eventually(() => server.open() === 0);
  });
});

describe('useLiveState renders the live snapshot', () => {
  it('shows the snapshot, then every delta', async () => {
    const sub = await mount('sse');
    expect(rendered()).toBe(values(state));
    let id = '';
    for (let i = 0; i < 5; i++) id = publish([{ op: 'replace', path: `/metrics/${i % 4}/value`, value: 100 + i }]);
    await act(() => next(sub, 'message', (m) => m.id === id));
    expect(rendered()).toBe(values(state));
    expect(rendered()).toBe('104 101 102 103');
  });

  it('does not re-render for a delta that changes nothing', async () => {
    const sub = await mount('sse');
    const before = seen.commits;
    const current = state.metrics[0]?.value;
    publish([]);
    const noop = publish([{ op: 'test', path: '/metrics/0/value', value: current }]);
    await act(() => next(sub, 'message', (m) => m.id === noop));
    expect(seen.commits).toBe(before);

    // The counter does count: a delta that changes the state commits exactly once.
    const change = publish([{ op: 'replace', path: '/metrics/0/value', value: -1 }]);
    await act(() => next(sub, 'message', (m) => m.id === change));
    expect(seen.commits).toBe(before + 1);
    expect(rendered()).toBe(values(state));
  });
});
