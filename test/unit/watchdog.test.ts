import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultTimers } from '../../src/core/timers.js';
import { startWatchdog } from '../../src/policy/watchdog.js';

describe('watchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires after `timeout` ms of silence, once', () => {
    const fired = vi.fn(() => undefined);
    startWatchdog(defaultTimers, 1000, fired);
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(5000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('counts silence from the last touch', () => {
    const fired = vi.fn(() => undefined);
    const dog = startWatchdog(defaultTimers, 1000, fired);
    vi.advanceTimersByTime(800);
    dog.touch();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('leaves no timer behind when stopped', () => {
    const dog = startWatchdog(defaultTimers, 1000, () => undefined);
    dog.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
