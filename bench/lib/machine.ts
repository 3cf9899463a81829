/** The machine and software a run measured on, for docs/benchmarks.md. */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

/** Peers whose versions the report lists (read from bench/node_modules). */
const PEERS = [
  'eventsource',
  'eventsource-parser',
  '@microsoft/fetch-event-source',
  'ws',
  'partysocket',
  'socket.io-client',
  'centrifuge',
  '@microsoft/signalr',
  'pusher-js',
  'ably',
  'esbuild',
] as const;

/** A description of the run's machine and software. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  commit: string | undefined;
  versions: Record<string, string>;
  /** 1-minute load average when the run started: above ~0.5 something else was using the cores. */
  loadAtStart: number;
}

/** The 1-minute load average now; take it before the bench loads the machine itself. */
export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}

function version(pkg: string): string {
  try {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function commit(): string | undefined {
  try {
    // Read-only: names the checkout the numbers belong to.
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Describes this machine now. */
export function describeMachine(loadAtStart: number): Machine {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    commit: commit(),
    versions: Object.fromEntries(PEERS.map((p) => [p, version(p)])),
    loadAtStart,
  };
}

/** One line: `Intel Xeon, 2 cores, 23 GiB, Linux 6.1, Node v20.20.2`. */
export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`;
}
