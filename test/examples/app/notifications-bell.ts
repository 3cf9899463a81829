// An app module as an app developer would write it: it knows nothing of tests. It calls
// subscribe() with the globals, so a test reaches it with `server.install()`.
import { type AnywireError, subscribe } from '../../../src/index.js';

/** One notification, as the server sends it in a `notification` event. */
export interface Notification {
  id: string;
  title: string;
}

/** What the bell shows: a count, the newest title, and whether it is live. */
export interface Bell {
  /** Notifications since the user last marked them read. */
  readonly unread: number;
  /** The newest notification, for the tooltip. */
  readonly latest: Notification | undefined;
  /** `'offline'` while reconnecting; `'signed-out'` once the server refused the token for good. */
  readonly state: 'connecting' | 'live' | 'offline' | 'signed-out';
  /** Clears the count here and tells the server, so the user's other tabs clear too. */
  markAllRead(): Promise<void>;
  /** Calls `listener` after every change; returns its unsubscribe. */
  onChange(listener: () => void): () => void;
  close(): void;
}

/** Where the notifications come from, and the user's token (`refresh` after the server said 401). */
export interface BellOptions {
  url: string;
  token: (refresh: boolean) => string | Promise<string>;
}

/**
 * The bell in the page header: counts `notification` events, resets on `read` (sent by any tab
 * of this user, this one included).
 */
export function createNotificationsBell({ url, token }: BellOptions): Bell {
  const listeners = new Set<() => void>();
  let unread = 0;
  let latest: Notification | undefined;
  let state: Bell['state'] = 'connecting';
  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const sub = subscribe<Notification>({
    url,
    // The bell sends too (markAllRead): anywire prefers a WebSocket for that.
    requirements: { direction: 'both' },
    headers: async (reason) => ({ authorization: `Bearer ${await token(reason === 'unauthorized')}` }),
  });
  sub.on('message', ({ event, data }) => {
    if (event === 'notification') {
      unread++;
      latest = data;
    } else if (event === 'read') unread = 0;
    changed();
  });
  // An error is final only if the status then turns 'closed' (a first 401 is retried with a
  // refreshed token): remember it, decide on the status.
  let lastError: AnywireError | undefined;
  sub.on('error', (error) => {
    lastError = error;
  });
  sub.on('status', (status) => {
    const refused = lastError?.code === 'http-status' && (lastError.status === 401 || lastError.status === 403);
    if (status === 'closed') state = refused ? 'signed-out' : 'offline';
    else state = status === 'open' ? 'live' : status === 'connecting' ? 'connecting' : 'offline';
    changed();
  });

  return {
    get unread() {
      return unread;
    },
    get latest() {
      return latest;
    },
    get state() {
      return state;
    },
    async markAllRead() {
      unread = 0;
      changed();
      await sub.send({ upTo: sub.lastEventId ?? null }, 'read');
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => sub.close(),
  };
}
