// The runtimes suite: one smoke client (client.mjs) run by Node 20 (the host, ESM and CJS),
// Node 22, Node 24, Bun and Deno against reference servers in the host. The other runtimes come
// from npm, installed into test/runtimes/node_modules by its own lockfile (the root stays clean).
// A runtime that cannot be installed or started here is reported as not available and does not
// fail the suite; one that starts and fails a check does.
//
//   npm run build && node --import tsx test/runtimes/run.ts [--skip-install]
//
// Output ends with `N passed, N failed`.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSuite, summary, type Tally } from '../browser/runner.js';
import { startControlServer } from './control.js';

const here = fileURLToPath(new URL('./', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const modules = `${here}node_modules/`;
const CLIENT = `${here}client.mjs`;
/** How client.mjs marks its result line. */
const MARKER = '@@anywire-result ';
const SUITE_TIMEOUT = 170_000;
const INSTALL_TIMEOUT = 150_000;
const VERSION_TIMEOUT = 20_000;
const CLIENT_TIMEOUT = 60_000;

/** How to run client.mjs on one runtime. */
interface Runtime {
  name: string;
  /** Candidate binaries, first that answers `--version` wins; paths relative to node_modules/. */
  binaries: string[];
  /** Arguments before the script. */
  args: string[];
  /** Arguments after the control URL. */
  extra?: string[];
}

const DENO_ARGS = [
  'run',
  '--no-lock',
  '--no-prompt',
  '--no-config',
  '--allow-net=127.0.0.1',
  `--allow-read=${root}`,
  '--allow-env',
  // dist/node.js imports 'ws' and 'eventsource-parser': resolve them from the root's
  // node_modules as Node does, with no download and no deno.json.
  '--node-modules-dir=manual',
];

const RUNTIMES: Runtime[] = [
  { name: 'node 20 (host)', binaries: [process.execPath], args: [] },
  { name: 'node 20 (host, require)', binaries: [process.execPath], args: [], extra: ['--cjs'] },
  { name: 'node 22', binaries: ['node22/bin/node'], args: [] },
  { name: 'node 24', binaries: ['node24/bin/node'], args: [] },
  // The `bun` package's postinstall links the platform binary into bin/; without install scripts
  // the platform package still has it.
  {
    name: 'bun',
    binaries: ['bun/bin/bun.exe', '@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun'],
    args: ['--no-install'],
  },
  { name: 'deno', binaries: ['@deno/linux-x64-glibc/deno', 'deno/deno'], args: DENO_ARGS },
];

/** The environment of every child: quiet, no telemetry, no update checks. */
const ENV = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' };

/** Children still running, killed if the suite runs out of time. */
const live = new Set<ChildProcess>();

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs a command to the end (or `timeout`, then kills it), collecting its output. */
function run(command: string, args: string[], timeout: number, cwd = root): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    const done = (code: number | null): void => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, stdout, stderr, ms: performance.now() - started, timedOut });
    };
    child.on('error', (error) => {
      stderr += String(error);
      done(null);
    });
    child.on('close', done);
  });
}

/** The last meaningful line of some output, for a one-line reason. */
const lastLine = (text: string): string =>
  text
    .trim()
    .split('\n')
    .filter((line) => line.trim() && !/^npm warn/i.test(line))
    .at(-1)
    ?.trim()
    .slice(0, 200) ?? '';

/** `npm --prefix test/runtimes ci`; returns a reason when it failed. */
async function install(): Promise<string | undefined> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const ran = await run(npm, ['--prefix', here, 'ci', '--no-audit', '--no-fund'], INSTALL_TIMEOUT);
  console.log(`# npm --prefix test/runtimes ci: ${ran.timedOut ? 'timed out' : `exit ${ran.code}`} in ${(ran.ms / 1000).toFixed(1)} s`);
  if (ran.code === 0) return undefined;
  return `npm ci failed: ${ran.timedOut ? `no result within ${INSTALL_TIMEOUT} ms` : lastLine(ran.stderr || ran.stdout)}`;
}

/** The binary that runs and its version line, or why none does. */
async function resolveBinary(runtime: Runtime): Promise<{ binary: string; version: string } | { reason: string }> {
  const reasons: string[] = [];
  for (const candidate of runtime.binaries) {
    const binary = candidate.startsWith('/') ? candidate : `${modules}${candidate}`;
    if (!existsSync(binary)) {
      reasons.push(`${candidate} not installed`);
      continue;
    }
    const ran = await new Promise<{ ok: boolean; out: string }>((resolve) =>
      execFile(binary, ['--version'], { timeout: VERSION_TIMEOUT, env: ENV }, (error, stdout, stderr) =>
        resolve({ ok: !error, out: error ? lastLine(stderr) || error.message : (stdout.trim().split('\n')[0] ?? '') }),
      ),
    );
    if (ran.ok) return { binary, version: ran.out };
    reasons.push(`${candidate} does not start: ${ran.out}`);
  }
  return { reason: reasons.join('; ') };
}

interface Result {
  runtime: { name: string; version: string };
  module: string;
  websocket: string;
  checks: Array<{ name: string; ok: boolean; ms: number; error?: string }>;
  refusedUpgrade: string;
}

/** One row of the results table. */
interface Row {
  runtime: string;
  version: string;
  outcome: string;
  websocket: string;
  refusedUpgrade: string;
  seconds: string;
}

/** A row with only an outcome: the runtime did not run, or did not report. */
const bare = (runtime: string, version: string, outcome: string): Row => ({
  runtime,
  version,
  outcome,
  websocket: '',
  refusedUpgrade: '',
  seconds: '',
});

/** Runs the smoke client on one runtime, printing and counting its checks; returns its table row. */
async function smoke(runtime: Runtime, controlUrl: string, installFailure: string | undefined, tally: Tally): Promise<Row> {
  const hosted = runtime.binaries[0] === process.execPath;
  const found = installFailure && !hosted ? { reason: installFailure } : await resolveBinary(runtime);
  if ('reason' in found) {
    console.log(`- ${runtime.name}: not available: ${found.reason}`);
    return bare(runtime.name, '–', `not available: ${found.reason}`);
  }
  const ran = await run(found.binary, [...runtime.args, CLIENT, controlUrl, ...(runtime.extra ?? [])], CLIENT_TIMEOUT);
  const line = ran.stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) {
    // It started (it answered --version) but the smoke client did not finish: a failure.
    tally.failed++;
    const why = ran.timedOut ? `no result within ${CLIENT_TIMEOUT} ms` : `exit ${ran.code}: ${lastLine(ran.stderr || ran.stdout)}`;
    console.log(`not ok  ${runtime.name} (${found.version}): the smoke client did not report: ${why}`);
    if (ran.stderr.trim()) console.log(`        ${ran.stderr.trim().split('\n').slice(-15).join('\n        ')}`);
    return bare(runtime.name, found.version, 'failed: no result');
  }
  const result = JSON.parse(line.slice(MARKER.length)) as Result;
  console.log(`# ${runtime.name}: ${result.runtime.name} ${result.runtime.version}, ${result.module}, ${result.websocket}`);
  for (const check of result.checks) {
    if (check.ok) tally.passed++;
    else tally.failed++;
    console.log(`${check.ok ? 'ok    ' : 'not ok'}  ${runtime.name} · ${check.name} (${check.ms} ms)`);
    if (check.error) console.log(`        ${check.error}`);
  }
  return {
    runtime: runtime.name,
    version: `${result.runtime.name} ${result.runtime.version}`,
    outcome: `${result.checks.filter((c) => c.ok).length}/${result.checks.length} passed`,
    websocket: result.websocket,
    refusedUpgrade: result.refusedUpgrade,
    seconds: (ran.ms / 1000).toFixed(1),
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  for (const file of ['dist/node.js', 'dist/node.cjs']) {
    if (!existsSync(`${root}${file}`)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  const installFailure = process.argv.includes('--skip-install') ? undefined : await install();
  const control = await startControlServer();
  const tally: Tally = { passed: 0, failed: 0 };
  const rows: Row[] = [];
  try {
    // One after another: the timings stay comparable and a failure's output stays readable.
    for (const runtime of RUNTIMES) rows.push(await smoke(runtime, control.url, installFailure, tally));
  } finally {
    await control.close();
  }
  console.log('\n| runtime | version | checks | WebSocket | upgrade refused with HTTP 401 | time (s) |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.runtime} | ${r.version} | ${r.outcome} | ${r.websocket} | ${r.refusedUpgrade} | ${r.seconds} |`);
  console.log(`\n# ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(summary(tally));
  return tally.failed === 0 ? 0 : 1;
}

runSuite('runtimes', SUITE_TIMEOUT, main, () => {
  for (const child of live) child.kill('SIGKILL');
});
