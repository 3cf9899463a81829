/**
 * `npm run demo`: an embedded reference server on 127.0.0.1 and four subscriptions whose declared
 * requirements lead anywire to four different transports. Prints each choice with its reasons,
 * then live messages, drops every connection once to show resume, and exits after ~8 s.
 * Pass `--forever` to keep it running (Ctrl-C stops it).
 */
// The entry Node resolves for 'anywire' (the `node` export condition): `subscribe` falls back to ws.
import { type Requirements, type Subscription, subscribe } from '../src/node.js';
import { startReferenceServer } from './server.js';

const profiles: Array<{ name: string; requirements: Requirements }> = [
  { name: 'chat', requirements: { direction: 'both' } },
  { name: 'ticker', requirements: { staleness: 500, frequency: 5 } },
  { name: 'bell', requirements: { staleness: 2000, frequency: 0.01 } },
  { name: 'weather', requirements: { staleness: 5000 } },
];

const forever = process.argv.includes('--forever');
const server = await startReferenceServer({ keepalive: 2000 });
const color = (n: number, text: string): string => (process.stdout.isTTY ? `\x1b[${n}m${text}\x1b[0m` : text);
console.log(color(1, `anywire demo: reference server at ${server.url}\n`));

const subs: Subscription<{ tick: number; price: number }>[] = [];
const delivered = new Map<string, Set<string>>();
for (const { name, requirements } of profiles) {
  const sub = subscribe<{ tick: number; price: number }>({ url: server.url, requirements });
  const choice = sub.explain();
  console.log(`${color(36, name.padEnd(8))} requirements ${JSON.stringify(requirements)}`);
  console.log(`         → ${color(32, choice.transport)} (fallbacks: ${choice.fallbacks.join(', ') || 'none'})`);
  for (const reason of choice.reasons) console.log(`           ${color(2, reason)}`);
  sub.on('message', (m) => {
    const seen = delivered.get(name) ?? new Set();
    delivered.set(name, seen.add(m.transport));
    console.log(`${color(36, name.padEnd(8))} ${color(32, m.transport.padEnd(9))} #${m.id} ${m.event} ${JSON.stringify(m.data)}`);
  });
  sub.on('status', (status) => console.log(`${color(36, name.padEnd(8))} status → ${status}`));
  sub.on('error', (error) => console.log(`${color(36, name.padEnd(8))} ${color(31, `error ${error.code}`)}: ${error.message}`));
  subs.push(sub);
}
console.log('');

let tick = 0;
const ticker = setInterval(() => {
  tick++;
  server.publish({ tick, price: Math.round((100 + Math.sin(tick / 3) * 5) * 100) / 100 }, 'price');
  if (tick === 8) {
    console.log(color(33, '\n-- the server drops every connection; each subscription resumes from its Last-Event-ID --\n'));
    server.dropAll();
  }
}, 400);

const stop = async (): Promise<void> => {
  clearInterval(ticker);
  for (const sub of subs) sub.close();
  await server.close();
  const transports = new Set([...delivered.values()].flatMap((set) => [...set]));
  console.log(color(1, `\ndelivered over: ${[...transports].sort().join(', ')}`));
  if (transports.size < 4) process.exitCode = 1;
};
process.on('SIGINT', () => void stop());
if (!forever) setTimeout(() => void stop(), 8000);
