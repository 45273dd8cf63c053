// Measures what routing through a WorkerPool costs over sending straight to
// one actor's StableAddr: tell throughput and ask round trip, side by side in
// one run. Systems alternate their order every round, and the figures are
// medians over the measured rounds. Each figure is given as wall time and as
// this process's CPU time, because on a loaded machine the CPU time moves
// less with what other processes do.
//
// Run: npm run build && node dist/bench/pool-routing.js [--rounds N] [--no-ask-stacks]
//
// `--no-ask-stacks` starts the engine with `captureAskStacks: false`. Capturing
// the caller's stack is most of an ask's cost, and a pool ask captures one
// frame more than a direct one, so the flag shows the routing cost alone.

import { availableParallelism } from 'node:os';
import { defineActor, Engine, type StableAddr, type WorkerPool } from '../src/index.js';

const Summer = defineActor({
  name: 'summer',
  state: () => ({ total: 0 }),
  handlers: {
    add(state, message: { n: number }): number {
      state.total += message.n;
      return state.total;
    },
  },
});

type Summer = typeof Summer;

/** A way to reach the work: straight to one actor, or through a pool. */
interface System {
  readonly name: string;
  /** Sends `count` messages in batches that fit the mailboxes and waits until all are handled. */
  tell(count: number): Promise<void>;
  /** Asks `count` times, one after another. */
  askSequentially(count: number): Promise<void>;
}

const batchSize = 1024;
const tellCount = 200_000;
const askCount = 20_000;

function directSystem(addr: StableAddr<Summer>): System {
  return {
    name: 'direct StableAddr',
    async tell(count) {
      for (let sent = 0; sent < count; sent += batchSize) {
        for (let i = 0; i < batchSize; i++) {
          if (addr.send({ type: 'add', n: 1 }) !== undefined) throw new Error('direct send failed');
        }
        // The reply to the last message comes after every message before it.
        await addr.ask({ type: 'add', n: 0 });
      }
    },
    async askSequentially(count) {
      for (let i = 0; i < count; i++) await addr.ask({ type: 'add', n: 1 });
    },
  };
}

function poolSystem(pool: WorkerPool<Summer>): System {
  return {
    name: `pool of ${pool.size}`,
    async tell(count) {
      for (let sent = 0; sent < count; sent += batchSize) {
        for (let i = 0; i < batchSize; i++) {
          if (pool.send({ type: 'add', n: 1 }) !== undefined) throw new Error('pool send failed');
        }
        // `size` asks in a row reach every worker once, each behind that worker's messages.
        const barriers: Promise<number>[] = [];
        for (let i = 0; i < pool.size; i++) barriers.push(pool.ask({ type: 'add', n: 0 }));
        await Promise.all(barriers);
      }
    },
    async askSequentially(count) {
      for (let i = 0; i < count; i++) await pool.ask({ type: 'add', n: 1 });
    },
  };
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function measure(work: () => Promise<void>): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await work();
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function parseRounds(argv: readonly string[]): number {
  const index = argv.indexOf('--rounds');
  if (index < 0) return 11;
  const rounds = Number(argv[index + 1]);
  if (!Number.isSafeInteger(rounds) || rounds < 1) {
    throw new RangeError(`--rounds must be a positive integer, got ${String(argv[index + 1])}`);
  }
  return rounds;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rounds = parseRounds(argv);
  const captureAskStacks = !argv.includes('--no-ask-stacks');
  await using engine = await Engine.start({ captureAskStacks });
  const systems = [
    directSystem(engine.spawn(Summer, { name: 'direct', mailboxCapacity: batchSize + 1 })),
    poolSystem(engine.spawnWorkerPool(Summer, { size: 1, namePrefix: 'single', mailboxCapacity: batchSize + 1 })),
    poolSystem(engine.spawnWorkerPool(Summer, { size: 4, namePrefix: 'quad', mailboxCapacity: batchSize + 1 })),
  ];

  const tellTimes = new Map<string, Timing[]>(systems.map((system) => [system.name, []]));
  const askTimes = new Map<string, Timing[]>(systems.map((system) => [system.name, []]));

  // Round 0 warms up the JIT and is not counted.
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 === 0 ? systems : [...systems].reverse();
    for (const system of order) {
      const tell = await measure(() => system.tell(tellCount));
      const ask = await measure(() => system.askSequentially(askCount));
      if (round === 0) continue;
      tellTimes.get(system.name)?.push(tell);
      askTimes.get(system.name)?.push(ask);
    }
  }

  console.log(
    `pool routing: node ${process.version}, ${availableParallelism()} cores, ${rounds} rounds, medians, ` +
      `captureAskStacks ${captureAskStacks}`,
  );
  console.log(`tell: ${tellCount} messages in batches of ${batchSize}; ask: ${askCount} sequential round trips`);
  const direct = systems[0] as System;
  for (const system of systems) {
    for (const [label, times, count] of [
      ['tell', tellTimes, tellCount],
      ['ask', askTimes, askCount],
    ] as const) {
      console.log(formatRow(system.name, label, times.get(system.name) ?? [], times.get(direct.name) ?? [], count));
    }
  }

  // A pool of one does the same work as the direct system plus routing, so its ratio is the routing cost.
  const single = systems[1] as System;
  const overhead = (times: Map<string, Timing[]>, key: keyof Timing): string => {
    const ratio = median((times.get(single.name) ?? []).map((time) => time[key])) / median((times.get(direct.name) ?? []).map((time) => time[key]));
    return `${((ratio - 1) * 100).toFixed(1)}%`;
  };
  console.log(
    `routing cost of a pool of 1 over direct (target: under 20%): tell ${overhead(tellTimes, 'cpuMs')} CPU, ${overhead(tellTimes, 'wallMs')} wall; ` +
      `ask ${overhead(askTimes, 'cpuMs')} CPU, ${overhead(askTimes, 'wallMs')} wall`,
  );
}

/** Formats one line: median ns per message in wall and CPU time, and the ratio to the direct system. */
function formatRow(name: string, label: string, times: readonly Timing[], directTimes: readonly Timing[], count: number): string {
  const wall = median(times.map((time) => time.wallMs));
  const cpu = median(times.map((time) => time.cpuMs));
  const directWall = median(directTimes.map((time) => time.wallMs));
  const directCpu = median(directTimes.map((time) => time.cpuMs));
  const nsPer = (ms: number): string => ((ms * 1e6) / count).toFixed(0).padStart(6);
  return [
    `${name.padEnd(18)} ${label.padEnd(4)}`,
    `wall ${nsPer(wall)} ns/msg (x${(wall / directWall).toFixed(3)} of direct)`,
    `cpu ${nsPer(cpu)} ns/msg (x${(cpu / directCpu).toFixed(3)} of direct)`,
  ].join('  ');
}

await main();
