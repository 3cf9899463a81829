// A tiny test runner for the suites that drive real runtimes (a browser, other JavaScript engines)
// and so cannot run inside vitest. Each case has its own deadline; the output ends with the
// summary line `N passed, N failed` alone on a line, which CI greps.

/** One named check. */
export interface Case {
  name: string;
  run: () => Promise<void>;
}

/** The tally of a run. */
export interface Tally {
  passed: number;
  failed: number;
}

/** Rejects after `ms` with `what` in the message; `cancel` clears it. A guard, not a sleep. */
export function deadline(ms: number, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Runs `work`, rejecting if it takes longer than `ms`. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  const guard = deadline(ms, what);
  try {
    return await Promise.race([work, guard.promise]);
  } finally {
    guard.cancel();
  }
}

/** Runs the cases one after another, printing `ok` / `not ok` lines as they finish. */
export async function runCases(cases: readonly Case[], timeout: number, tally: Tally = { passed: 0, failed: 0 }): Promise<Tally> {
  for (const { name, run } of cases) {
    const started = performance.now();
    try {
      await within(timeout, name, run());
      tally.passed++;
      console.log(`ok      ${name} (${Math.round(performance.now() - started)} ms)`);
    } catch (error) {
      tally.failed++;
      console.log(
        `not ok  ${name} (${Math.round(performance.now() - started)} ms)\n        ${describe(error).replaceAll('\n', '\n        ')}`,
      );
    }
  }
  return tally;
}

/** Throws when `actual` and `expected` differ as JSON (enough for the plain data these suites compare). */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Throws with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The summary line, alone on its line, last. */
export function summary({ passed, failed }: Tally): string {
  return `${passed} passed, ${failed} failed`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a whole suite as a script: `main` resolves with the exit code. Whatever happens (a bound
 * of `timeout` ms overrun, `main` throwing), the output still ends with a summary line and a
 * non-zero exit, so CI always sees a verdict. `onTimeout` cleans up (kills children) first.
 */
export function runSuite(name: string, timeout: number, main: () => Promise<number>, onTimeout: () => void = () => {}): void {
  const fail = (why: string): never => {
    console.log(`the ${name} suite ${why}`);
    console.log(summary({ passed: 0, failed: 1 }));
    process.exit(1);
  };
  const bound = setTimeout(() => {
    onTimeout();
    fail(`did not finish within ${timeout} ms`);
  }, timeout);
  bound.unref();
  main().then(
    (code) => process.exit(code),
    (error: unknown) => fail(`could not run: ${error instanceof Error ? error.message : String(error)}`),
  );
}
