/**
 * Child processes of the bench (the servers, one memory client per kind). Every child is tracked
 * and killed when the bench exits, fails or is interrupted, so nothing is left listening.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Options of {@link spawnTs} and {@link spawnNode}. */
export interface SpawnOptions {
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: readonly string[];
  /** Arguments after the script. */
  args?: readonly string[];
  /** Extra environment variables, on top of this process's. */
  env?: Record<string, string>;
}

/**
 * Runs a TypeScript file of the bench in a new Node process, with the same TypeScript loader as
 * this one (tsx passes its `--import` through `execArgv`), stdout piped and an IPC channel.
 */
export function spawnTs(file: URL, options: SpawnOptions = {}): ChildProcess {
  return spawnTracked([...process.execArgv, ...(options.nodeFlags ?? []), fileURLToPath(file), ...(options.args ?? [])], options);
}

/** Runs a JavaScript file in a new plain Node process (no loader), stdout piped and an IPC channel. */
export function spawnNode(file: string, options: SpawnOptions = {}): ChildProcess {
  return spawnTracked([...(options.nodeFlags ?? []), file, ...(options.args ?? [])], options);
}

function spawnTracked(argv: readonly string[], options: SpawnOptions): ChildProcess {
  hookExit();
  const child = spawn(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills one child (if still running) and waits for it to be gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await gone;
}

/**
 * Resolves with the first IPC message of `child` for which `pick` returns a value; rejects when
 * the child exits first or `timeoutMs` passes.
 */
export function firstMessage<T>(child: ChildProcess, pick: (message: unknown) => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`child ${child.pid} sent nothing in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown): void => {
      const value = pick(message);
      if (value !== undefined) finish(undefined, value);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`child ${child.pid} exited (code ${code}, signal ${signal}) before answering`));
    function finish(error: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
