// Compares a rhodium WorkerPool spread over worker threads with Piscina and
// tinypool on the same threads count and the same tasks: adding two numbers,
// and the SHA-256 of 4 KiB, each at 1 and at 256 tasks in flight. Then it
// measures the restart window on a thread: from a crash (a handler that
// throws, or a thread that exits) until the worker is routable again.
//
// Every pool runs the task module `pool-threads-worker.js` on its threads, and
// every task argument is structured-cloned to the thread. The systems
// alternate their order every round, and each figure is the median over the
// measured rounds. The machine's load average is printed before and after.
//
// Run: npm run build && node dist/bench/scenarios/pool-threads.js [--threads N] [--rounds N]

import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import { actorModule, Engine } from '../../src/index.js';
import type { BenchWorker } from './pool-threads-worker.js';

const workerUrl = new URL('./pool-threads-worker.js', import.meta.url);
const BenchModule = actorModule<typeof BenchWorker>(workerUrl, 'BenchWorker');

const threads = numberArgument('--threads', 2);
const rounds = numberArgument('--rounds', 5);
const payload = randomBytes(4096);

/** A task runner: one call runs one task on the pool and resolves with its result. */
interface System {
  readonly name: string;
  add(a: number, b: number): Promise<number>;
  sha256(bytes: Uint8Array): Promise<string>;
  close(): Promise<void>;
}

interface Workload {
  readonly name: string;
  readonly tasks: number;
  readonly inFlight: number;
  run(system: System, index: number): Promise<unknown>;
}

const workloads: Workload[] = [
  { name: 'add, 1 in flight', tasks: 5_000, inFlight: 1, run: (system, index) => system.add(index, 1) },
  { name: 'add, 256 in flight', tasks: 100_000, inFlight: 256, run: (system, index) => system.add(index, 1) },
  { name: 'sha256 4 KiB, 1 in flight', tasks: 3_000, inFlight: 1, run: (system) => system.sha256(payload) },
  { name: 'sha256 4 KiB, 256 in flight', tasks: 50_000, inFlight: 256, run: (system) => system.sha256(payload) },
];

async function startRhodium(): Promise<System> {
  const engine = await Engine.start({ threads, captureAskStacks: false, propagateAsyncContext: false });
  const pool = engine.spawnWorkerPool(BenchModule, { size: threads, placement: 'spread', mailboxCapacity: 4096 });
  await pool.ready();
  return {
    name: 'rhodium',
    add: (a, b) => pool.ask({ type: 'add', a, b }),
    sha256: (bytes) => pool.ask({ type: 'sha256', bytes }),
    close: async () => {
      await engine.shutdown();
    },
  };
}

function startPiscina(): System {
  const pool = new Piscina({ filename: workerUrl.href, minThreads: threads, maxThreads: threads });
  return {
    name: 'piscina',
    add: (a, b) => pool.run({ a, b }, { name: 'add' }) as Promise<number>,
    sha256: (bytes) => pool.run({ bytes }, { name: 'sha256' }) as Promise<string>,
    close: () => pool.destroy(),
  };
}

function startTinypool(): System {
  const pool = new Tinypool({ filename: workerUrl.href, minThreads: threads, maxThreads: threads });
  return {
    name: 'tinypool',
    add: (a, b) => pool.run({ a, b }, { name: 'add' }) as Promise<number>,
    sha256: (bytes) => pool.run({ bytes }, { name: 'sha256' }) as Promise<string>,
    close: () => pool.destroy(),
  };
}

/** Runs `workload.tasks` tasks with at most `workload.inFlight` pending at once; returns tasks per second. */
async function measure(system: System, workload: Workload): Promise<number> {
  let next = 0;
  const startedAt = performance.now();
  const lane = async (): Promise<void> => {
    while (next < workload.tasks) {
      const index = next++;
      await workload.run(system, index);
    }
  };
  await Promise.all(Array.from({ length: workload.inFlight }, lane));
  return workload.tasks / ((performance.now() - startedAt) / 1000);
}

/** Measures one restart window per iteration, in milliseconds: from the crash request until the worker is routable again. */
async function restartWindows(kind: 'crash' | 'exitThread', iterations: number): Promise<number[]> {
  // The intensity must allow every restart the loop asks for.
  const supervision = { intensity: { maxRestarts: iterations + 1, windowMs: 60_000 } };
  const engine = await Engine.start({ threads, captureAskStacks: false, supervision });
  const worker = engine.spawn(BenchModule, { name: `restart-${kind}`, placement: { thread: 0 } });
  const windows: number[] = [];
  try {
    await worker.whenLive();
    for (let i = 0; i < iterations; i++) {
      const generation = worker.current()?.generation ?? 0;
      const startedAt = performance.now();
      await worker.ask({ type: kind }).catch(() => undefined);
      for (;;) {
        await worker.whenLive();
        if ((worker.current()?.generation ?? 0) > generation) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      windows.push(performance.now() - startedAt);
    }
  } finally {
    await engine.shutdown();
  }
  return windows;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function numberArgument(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${flag} must be a positive integer, got ${process.argv[index + 1]}`);
  return value;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${threads} threads per pool, ${rounds} rounds (first is warm-up), load average before: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);

  const systems = [await startRhodium(), startPiscina(), startTinypool()];
  const results = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? systems : [...systems].reverse();
    for (const workload of workloads) {
      for (const system of order) {
        const rate = await measure(system, workload);
        if (round === 0) continue;
        const key = `${workload.name}|${system.name}`;
        results.set(key, [...(results.get(key) ?? []), rate]);
      }
    }
  }
  for (const system of systems) await system.close();

  console.log('\ntasks per second (median), and rhodium as a ratio of each:');
  for (const workload of workloads) {
    const rates = systems.map((system) => median(results.get(`${workload.name}|${system.name}`) ?? []));
    const [rhodium = 0, piscina = 1, tinypool = 1] = rates;
    const cells = systems.map((system, i) => `${system.name} ${Math.round(rates[i] ?? 0)}`).join(', ');
    console.log(`  ${workload.name}: ${cells}; rhodium/piscina ${(rhodium / piscina).toFixed(2)}, rhodium/tinypool ${(rhodium / tinypool).toFixed(2)}`);
  }

  const crash = await restartWindows('crash', 50);
  const death = await restartWindows('exitThread', 10);
  console.log('\nrestart window on a thread, until routable again (median, min-max):');
  console.log(`  handler crash: ${median(crash).toFixed(2)} ms (${Math.min(...crash).toFixed(2)}-${Math.max(...crash).toFixed(2)}), ${crash.length} restarts`);
  console.log(`  thread death:  ${median(death).toFixed(2)} ms (${Math.min(...death).toFixed(2)}-${Math.max(...death).toFixed(2)}), ${death.length} restarts`);
  console.log(`\nload average after: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
}

await main();
