/**
 * An independent check of the SSE figure of bench/run.ts, sharing no code with bench/lib or
 * bench/servers: a node:http server on 127.0.0.1 in this process, and every client run in a
 * fresh `node` process of its own (bench/check/sse-client.mjs, plain JavaScript, no loader), so
 * no contender's JIT state or garbage reaches another. Rounds interleave the contenders
 * (A B C, A B C, …); the figures are medians.
 *
 *   npx tsx bench/check/sse-independent.ts [--n=300000] [--rounds=7] [--warm=1] [--chunk=65536]
 *     [--who=anywire,anywire-node,fetch,eventsource]
 *
 * Needs `npm run build` and `npm --prefix bench ci`; `ANYWIRE_DIST=/path/to/dist` measures another
 * build (see sse-client.mjs for what each contender is).
 */

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const CONTENDERS = ['anywire', 'anywire-node', 'fetch', 'eventsource'] as const;
type Who = (typeof CONTENDERS)[number];
const PEERS: readonly Who[] = ['fetch', 'eventsource'];

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

const n = option('n', 300_000);
const rounds = option('rounds', 7);
const warm = option('warm', 1);
const chunk = option('chunk', 64 * 1024);
const whoArg = process.argv.find((a) => a.startsWith('--who='))?.slice('--who='.length);
const WHO = (whoArg?.split(',') ?? CONTENDERS) as Who[];
for (const who of WHO) if (!CONTENDERS.includes(who)) throw new Error(`--who: ${who} is not one of ${CONTENDERS.join(', ')}`);
/** One client run never takes this long; a stuck one is killed and fails the check. */
const RUN_TIMEOUT_MS = 60_000;

// The events: `id` + small JSON `data`, the last one's `t` proves the count.
const lines: string[] = [];
for (let i = 0; i < n; i++) {
  const px = (100 + ((i * 7919) % 10_000) / 100 + 0.01).toFixed(2);
  lines.push(`id: ${i + 1}\ndata: {"sym":"${['ABC', 'XYZ', 'QRS', 'LMN'][i % 4]}","px":${px},"t":${1_700_000_000_000 + i}}\n\n`);
}
const body = Buffer.from(lines.join(''));

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let at = 0; at < body.length; at += chunk) res.write(body.subarray(at, at + chunk));
  res.end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

interface Sample {
  rate: number;
  cpuUs: number;
}

function runClient(who: Who): Promise<Sample> {
  const file = fileURLToPath(new URL('./sse-client.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', file, who, url, String(n), String(warm)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${who}: exit ${code ?? signal}`));
      const r = JSON.parse(out) as { ms: number; cpuUs: number };
      resolve({ rate: n / (r.ms / 1000), cpuUs: r.cpuUs / n });
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const samples = new Map<Who, Sample[]>(WHO.map((w) => [w, []]));
process.stderr.write(
  `${n} events (${(body.length / 1e6).toFixed(1)} MB, ${chunk} B writes), ${rounds} rounds, ${warm} warm-up stream(s) per process\n`,
);
try {
  for (let round = 0; round < rounds; round++) {
    for (const who of WHO) {
      const s = await runClient(who);
      samples.get(who)?.push(s);
      process.stderr.write(`  round ${round + 1} ${who.padEnd(12)} ${(s.rate / 1000).toFixed(0)} k/s  ${s.cpuUs.toFixed(3)} µs/event\n`);
    }
  }
} finally {
  server.close();
}

const med = (who: Who, key: keyof Sample): number => median((samples.get(who) ?? []).map((s) => s[key]));
const mine = WHO.filter((w) => !PEERS.includes(w));
const peers = WHO.filter((w) => PEERS.includes(w));
const ratios = (who: Who): string[] => peers.map((p) => (mine.includes(who) ? `${(med(who, 'rate') / med(p, 'rate')).toFixed(2)}×` : ''));
console.log(`| client | events/s | CPU µs/event | ${peers.map((p) => `÷ ${p}`).join(' | ')} |`);
console.log(`|---|---:|---:|${peers.map(() => '---:').join('|')}|`);
for (const who of WHO) {
  console.log(`| ${who} | ${(med(who, 'rate') / 1000).toFixed(0)} k/s | ${med(who, 'cpuUs').toFixed(2)} | ${ratios(who).join(' | ')} |`);
}
