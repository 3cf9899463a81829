import { jsonPatch, type TransportName } from 'anywire';
import { memo, useState } from 'react';
import { type DashboardState, EMPTY, type Metric } from './metrics.js';
import { useLiveState } from './useLiveState.js';

const CHOICES = ['auto', 'websocket', 'sse', 'long-poll', 'poll'] as const satisfies ReadonlyArray<'auto' | TransportName>;
type Choice = (typeof CHOICES)[number];

/** The page: a header with the connection's state and a grid of live metrics. */
export function Dashboard({ url }: { url: string }) {
  const [choice, setChoice] = useState<Choice>('auto');
  const { state, status, transport, subscription } = useLiveState<DashboardState>({
    url,
    transport: choice,
    // About 4 deltas a second that should show within a quarter second: a stream, not a poll.
    requirements: { staleness: 250, frequency: 4 },
    delta: jsonPatch,
    initial: EMPTY,
  });
  return (
    <main>
      <header>
        <h1>anywire · live metrics</h1>
        <span className={`status ${status}`}>{status}</span>
        <span>
          transport <b>{transport ?? '…'}</b>
        </span>
        <label>
          use{' '}
          <select value={choice} onChange={(e) => setChoice(e.target.value as Choice)}>
            {CHOICES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => subscription?.reconnect()}>
          reconnect
        </button>
        <span className="muted">
          {state.metrics.length} metrics · event {subscription?.lastEventId ?? '–'}
        </span>
      </header>
      <section className="grid">
        {state.metrics.map((metric) => (
          <Tile key={metric.name} metric={metric} />
        ))}
      </section>
    </main>
  );
}

/**
 * Memoised: a JSON Patch delta copies only the containers on the way to what it changes, so every
 * other metric is the very object it was and its tile does not re-render. A delta of 1–4 ops
 * re-renders 1–4 tiles, not 200.
 */
const Tile = memo(function Tile({ metric }: { metric: Metric }) {
  return (
    <div className="tile">
      <div className="name">{metric.name}</div>
      {/* A new key per value remounts the span, which replays its flash animation. */}
      <div className="value" key={metric.value}>
        {metric.value.toLocaleString('en', { maximumFractionDigits: 1 })}
        <small> {metric.unit}</small>
      </div>
    </div>
  );
});
