/** Promise turns taken where the runtime has no `MessageChannel` (jsdom): enough for fetch bodies. */
const FALLBACK_TURNS = 100;

/**
 * Resolves once every promise job queued so far, and every job those queue in turn, has run: the
 * client has read what the mock wrote and reacted to it. It yields one task through a
 * `MessageChannel`, which no fake-timer library fakes, so it works with fake timers on, with an
 * injected clock, and with real timers. It fires no timer: to let backoff or heartbeat delays
 * elapse, advance the clock (`vi.advanceTimersByTimeAsync(ms)`, `jest.advanceTimersByTimeAsync(ms)`),
 * which also flushes between timers.
 *
 * Where there is no `MessageChannel` (jest's jsdom environment) it takes 100 promise turns
 * instead; with fake timers on, `advanceTimersByTimeAsync(0)` is the sure way there.
 *
 * @example
 * server.emit({ unread: 3 });
 * await flush();
 * expect(bell.unread).toBe(3);
 */
export async function flush(): Promise<void> {
  const Channel = (globalThis as { MessageChannel?: typeof MessageChannel }).MessageChannel;
  if (typeof Channel !== 'function') {
    for (let turn = 0; turn < FALLBACK_TURNS; turn++) await Promise.resolve();
    return;
  }
  await new Promise<void>((resolve) => {
    const { port1, port2 } = new Channel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}
