import { type Status, type SubscribeOptions, type Subscription, subscribe, type TransportName } from 'anywire';
import { useCallback, useEffect, useEffectEvent, useState, useSyncExternalStore } from 'react';

/** `subscribe()`'s options, with the state the page shows until the first snapshot arrives. */
export type LiveOptions<S> = SubscribeOptions<unknown, S> & { initial: S };

/** What {@link useLiveState} returns. */
export interface LiveState<S> {
  /** The live snapshot: `initial`, then the server's state with every delta applied. */
  state: S;
  status: Status;
  /** The transport in use; `undefined` until the subscription exists (first render, SSR). */
  transport: TransportName | undefined;
  /** For `reconnect()`, `explain()`, `send()`; `undefined` until the effect has run. */
  subscription: Subscription<unknown, S> | undefined;
}

const idle = (): (() => void) => () => {};

/**
 * Subscribes while the component is mounted and renders the live snapshot.
 *
 * Changing `url` or `transport` closes the subscription and opens a new one; the other options
 * are read when it is opened, so passing new object literals on every render is fine.
 *
 * @example
 * const { state, status } = useLiveState<Board>({ url: '/live', delta: jsonPatch, initial: EMPTY });
 */
export function useLiveState<S>(options: LiveOptions<S>): LiveState<S> {
  // The first `initial` is kept: useSyncExternalStore needs the same value on every call.
  const [initial] = useState(options.initial);
  const [subscription, setSubscription] = useState<Subscription<unknown, S>>();

  // Why an effect, and not `useState(() => subscribe(...))` or `useMemo`: React may call an
  // initialiser and throw its result away with no cleanup (StrictMode calls initialisers twice in
  // development; a concurrent render can be discarded at any time), and each discarded
  // subscription would be an open connection nobody closes. And closing the kept one in an
  // effect's cleanup would close the very one StrictMode's remount goes on using: a dead page. An
  // effect is the one place React pairs every setup with its cleanup. StrictMode's mount,
  // unmount, mount then runs: open A, close A, open B; A is closed before the microtask that would
  // start it, so it never connects, and exactly one connection (B) is opened.
  const open = useEffectEvent(() => subscribe<unknown, S>(options));
  const url = String(options.url);
  const transport = String(options.transport ?? 'auto');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the keys: a new url or transport means a new subscription
  useEffect(() => {
    const sub = open();
    setSubscription(sub);
    return () => sub.close();
  }, [url, transport]);

  const state = useSyncExternalStore(subscription?.subscribe ?? idle, subscription?.getSnapshot ?? (() => initial), () => initial);
  const onStatus = useCallback((onChange: () => void) => subscription?.on('status', onChange) ?? (() => {}), [subscription]);
  const status = useSyncExternalStore(
    onStatus,
    () => subscription?.status ?? 'connecting',
    (): Status => 'connecting',
  );
  const transportName = useSyncExternalStore(
    onStatus,
    () => subscription?.transport,
    () => undefined,
  );
  return { state, status, transport: transportName, subscription };
}
