import type { MockEvent } from './types.js';
import type { WireEvent } from './wire.js';

/**
 * The mock's memory of what it emitted, for resume.
 *
 * @example
 * log.backlog('2', undefined); // the events after id 2
 */
export interface EventLog {
  /** The retained events, oldest first. */
  readonly events: readonly MockEvent[];
  /** Appends an event with the next id and returns it. */
  append(data: unknown, event: string): MockEvent;
  /** Forgets every event; ids keep counting up. */
  forget(): void;
  /**
   * What a connection resuming from `lastEventId` starts with: the events after it; without a
   * usable position, a snapshot of `state` (when the server has one), else a `gap` (stale
   * position) or the whole log (no position).
   */
  backlog(lastEventId: string | undefined, state: (() => unknown) | undefined): WireEvent[];
}

/**
 * Creates an {@link EventLog} with numeric ids `'1'`, `'2'`, …, keeping the last `retain` events.
 * The same resume rules as examples/server.ts, so a test of the mock says what the real server does.
 *
 * @example
 * const log = createEventLog(100);
 * log.append({ n: 1 }, 'message'); // { id: '1', event: 'message', data: { n: 1 } }
 * log.backlog('1', undefined); // []
 */
export function createEventLog(retain: number): EventLog {
  let events: MockEvent[] = [];
  let nextId = 1;

  /** The events after `lastEventId`, `'gap'` when that position is not retained, or `'fresh'`. */
  const since = (lastEventId: string | undefined): MockEvent[] | 'gap' | 'fresh' => {
    if (!lastEventId) return 'fresh';
    const position = Number(lastEventId);
    const oldest = Number(events[0]?.id ?? nextId);
    // A position ahead of the log (another server's id) is as unusable as one too old.
    if (!/^\d+$/.test(lastEventId) || position >= nextId || position < oldest - 1) return 'gap';
    return events.filter((e) => Number(e.id) > position);
  };

  return {
    get events() {
      return events;
    },
    append(data, event) {
      const stored: MockEvent = { id: String(nextId++), event, data };
      events.push(stored);
      if (events.length > retain) events.shift();
      return stored;
    },
    forget() {
      events = [];
    },
    backlog(lastEventId, state) {
      const found = since(lastEventId);
      if (Array.isArray(found)) return found;
      // The snapshot carries the newest id: the client resumes after it, not from the start.
      if (state) return [{ id: String(nextId - 1), event: 'snapshot', data: state() }];
      if (found === 'gap') return [{ event: 'gap', data: null }];
      return events.slice();
    },
  };
}
