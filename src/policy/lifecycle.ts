// Browser lifecycle signals, read through feature detection so the same code runs in Node, Deno,
// workers and React Native (where these events simply never fire).

/** What the page says about the network and its own visibility. Hints only: a heartbeat decides. */
export interface Lifecycle {
  /** The last `offline` event has not been followed by `online`. */
  offline(): boolean;
  /** The document is hidden (background tab, minimised window). */
  hidden(): boolean;
  /** Removes every listener this lifecycle added. */
  stop(): void;
}

interface EventHost {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}

const isHost = (value: unknown): value is EventHost =>
  typeof (value as EventHost | undefined)?.addEventListener === 'function' &&
  typeof (value as EventHost).removeEventListener === 'function';

/** What a {@link watchLifecycle} calls on the page's transitions. */
export interface LifecycleListener {
  /** The page is back online. */
  _online(): void;
  /** The page became visible. */
  _becameVisible(): void;
}

/** Where nothing can ever fire (Node, Bun, no document): one shared answer, nothing per caller. */
const STILL: Lifecycle = { offline: () => false, hidden: () => false, stop() {} };

/**
 * Listens for `online` / `offline` (window or worker global) and `visibilitychange` (document),
 * calling `listener` on those transitions; everything is removed by `stop()`. Where there is
 * neither (Node, Bun), it adds nothing and returns a shared lifecycle: an idle subscription there
 * holds no closure for events that never come.
 */
export function watchLifecycle(listener: LifecycleListener): Lifecycle {
  const g = globalThis as unknown as { navigator?: { onLine?: boolean }; document?: { hidden?: boolean } };
  const doc = g.document;
  let offline = g.navigator?.onLine === false;
  const win = isHost(globalThis) ? globalThis : undefined;
  if (!win && doc === undefined && !offline) return STILL;
  const online = (): void => {
    offline = false;
    listener._online();
  };
  const lost = (): void => {
    offline = true;
  };
  const visibility = (): void => {
    if (!doc?.hidden) listener._becameVisible();
  };
  win?.addEventListener('online', online);
  win?.addEventListener('offline', lost);
  if (isHost(doc)) doc.addEventListener('visibilitychange', visibility);
  return {
    // Methods, not getters: V8 keeps objects with accessors in slow dictionary mode.
    offline: () => offline,
    hidden: () => doc?.hidden === true,
    stop() {
      win?.removeEventListener('online', online);
      win?.removeEventListener('offline', lost);
      if (isHost(doc)) doc.removeEventListener('visibilitychange', visibility);
    },
  };
}
