// The page side of the browser suite. Bundled with the built dist/index.js for the browser (esbuild
// --platform=browser, 'anywire' aliased to dist/ by run.ts; type-checked against src/ through
// tsconfig's paths, so a fresh clone type-checks before any build) and loaded by the page; run.ts
// drives it through `globalThis.harness`.
// Everything anywire touches here is the browser's own: fetch, ReadableStream, WebSocket, and the
// online/offline events.

import { type Status, type Subscription, subscribe, type TransportName } from 'anywire';

/** What the page saw of one subscription, as plain data that crosses page.evaluate. */
export interface Seen {
  status: Status;
  lastEventId: string | undefined;
  messages: Array<{ data: unknown; event: string; id: string | undefined; transport: TransportName }>;
  statuses: Status[];
  errors: Array<{ code: string; status: number | undefined; transport: string | undefined; message: string }>;
}

/** A condition to wait for; every field given must hold. */
export interface Condition {
  status?: Status;
  lastEventId?: string;
  /** At least this many messages. */
  messages?: number;
  /** At least this many errors. */
  errors?: number;
}

/** How run.ts wants a subscription opened. */
export interface OpenOptions {
  transport: TransportName;
  /** A WebSocket URL other than the page's origin (a server that closes with 4401). */
  websocket?: string;
}

interface Entry {
  sub: Subscription;
  seen: Seen;
  waiters: Set<() => void>;
}

const entries = new Map<number, Entry>();
let nextId = 1;

const meets = (seen: Seen, want: Condition): boolean =>
  (want.status === undefined || seen.status === want.status) &&
  (want.lastEventId === undefined || seen.lastEventId === want.lastEventId) &&
  (want.messages === undefined || seen.messages.length >= want.messages) &&
  (want.errors === undefined || seen.errors.length >= want.errors);

const entry = (id: number): Entry => {
  const found = entries.get(id);
  if (!found) throw new Error(`no subscription ${id}`);
  return found;
};

export const harness = {
  /** Subscribes to this page's origin over one transport; returns a handle. */
  open({ transport, websocket }: OpenOptions): number {
    const sub = subscribe({
      url: new URL('/stream', location.href).href,
      ...(websocket ? { endpoints: { websocket } } : {}),
      transport,
      // Polls every 20 ms, and retries within 20–250 ms: the suite stays fast, the behaviour is the same.
      requirements: { staleness: 20 },
      reconnect: { initialDelay: 20, maxDelay: 250 },
    });
    const seen: Seen = { status: sub.status, lastEventId: undefined, messages: [], statuses: [], errors: [] };
    const current: Entry = { sub, seen, waiters: new Set() };
    const changed = (): void => {
      seen.status = sub.status;
      seen.lastEventId = sub.lastEventId;
      for (const wake of [...current.waiters]) wake();
    };
    sub.on('message', ({ data, event, id, transport: via }) => {
      seen.messages.push({ data, event, id, transport: via });
      changed();
    });
    sub.on('status', (status) => {
      seen.statuses.push(status);
      changed();
    });
    sub.on('error', ({ code, status, transport: via, message }) => {
      seen.errors.push({ code, status, transport: via, message });
      changed();
    });
    const id = nextId++;
    entries.set(id, current);
    return id;
  },

  /** Resolves with what was seen once `want` holds (checked on every event); rejects after `ms`. */
  until(id: number, want: Condition, ms: number): Promise<Seen> {
    const { seen, waiters } = entry(id);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!meets(seen, want)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(seen);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`waited ${ms} ms for ${JSON.stringify(want)}; saw ${JSON.stringify(seen)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  },

  /** What was seen so far. */
  seen(id: number): Seen {
    return entry(id).seen;
  },

  close(id: number): void {
    entry(id).sub.close();
    entries.delete(id);
  },

  /** The platform the page runs on: proof that fetch and WebSocket are the browser's own. */
  platform(): { fetch: boolean; WebSocket: boolean; ReadableStream: boolean; onLine: boolean; userAgent: string } {
    const native = (f: unknown): boolean => typeof f === 'function' && /\[native code\]/.test(Function.prototype.toString.call(f));
    return {
      fetch: native(globalThis.fetch),
      WebSocket: native(globalThis.WebSocket),
      ReadableStream: native(globalThis.ReadableStream),
      onLine: navigator.onLine,
      userAgent: navigator.userAgent,
    };
  },
};

export type Harness = typeof harness;

(globalThis as { harness?: Harness }).harness = harness;
