/**
 * A pool on worker threads: the tiny task (add two numbers), where the
 * pool's own overhead dominates, and SHA-256 of 4 KiB, a small real task,
 * each with 1 and with 256 tasks in flight. Every pool gets one thread per
 * core, started before the first trial. rhodium runs a `WorkerPool` of one
 * worker per thread, placed with `'spread'`, and each task is a pool `ask`.
 */

import os from 'node:os';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { actorModule, Engine } from '../../src/index.js';
import { caseRatioTarget } from '../harness/targets.js';
import type { Contender, Runner, Scenario } from '../harness/types.js';
import { BareThreadPool } from '../systems/bare-thread-pool.js';
import { systems } from '../systems/names.js';
import { since } from '../systems/probe.js';
import type { BenchActor } from '../workers/bench-actor.js';
import { add, sha256, type AddTask } from '../workers/tasks.js';

const threads = os.availableParallelism();
const tasksModule = new URL('../workers/tasks.js', import.meta.url).href;
const workerpoolScript = new URL('../workers/workerpool-worker.js', import.meta.url);
const BenchModule = actorModule<typeof BenchActor>(new URL('../workers/bench-actor.js', import.meta.url), 'BenchActor');

/** A task kind: its name in the worker, the argument every call sends, and the expected result. */
interface Workload {
  readonly name: 'add' | 'sha256';
  readonly payload: AddTask | Uint8Array;
  readonly expected: unknown;
}

const addTask: AddTask = { a: 20, b: 22 };
const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff);
const workloads = {
  add: { name: 'add', payload: addTask, expected: add(addTask) },
  sha256: { name: 'sha256', payload: bytes, expected: sha256(bytes) },
} as const satisfies Record<string, Workload>;

/**
 * Runs `total` tasks with `inFlight` of them outstanding at any time and
 * returns tasks per second. Each result is checked, so a pool that returns
 * the wrong thing fails the trial instead of looking fast.
 */
async function measureTasks(total: number, inFlight: number, workload: Workload, run: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < total) {
      started++;
      const result = await run();
      if (result !== workload.expected) throw new Error(`${workload.name} returned ${String(result)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return total / (since(startedAt) / 1000);
}

interface Pool {
  run(workload: Workload): Promise<unknown>;
  close(): Promise<void>;
}

function pool(name: string, kind: 'rhodium' | 'baseline' | 'peer', open: () => Promise<Pool>, workload: Workload, total: number, inFlight: number): Contender {
  return {
    name,
    kind,
    async start(): Promise<Runner> {
      const opened = await open();
      // One task per thread so that every thread is up before timing starts.
      await Promise.all(Array.from({ length: threads }, () => opened.run(workload)));
      return {
        trial: () => measureTasks(total, inFlight, workload, () => opened.run(workload)),
        close: () => opened.close(),
      };
    },
  };
}

async function openRhodium(): Promise<Pool> {
  const engine = await Engine.start({ threads });
  const workers = engine.spawnWorkerPool(BenchModule, { size: threads, placement: 'spread', namePrefix: 'bench' });
  return {
    run: (workload) =>
      workload.name === 'add'
        ? workers.ask({ type: 'add', ...(workload.payload as AddTask) })
        : workers.ask({ type: 'sha256', bytes: workload.payload as Uint8Array }),
    close: async () => {
      await engine.shutdown();
    },
  };
}

async function openBare(): Promise<Pool> {
  const bare = await BareThreadPool.start(threads);
  return {
    run: (workload) =>
      workload.name === 'add'
        ? bare.run({ name: 'add', payload: workload.payload as AddTask })
        : bare.run({ name: 'sha256', payload: workload.payload as Uint8Array }),
    close: () => bare.close(),
  };
}

function openPiscina(): Promise<Pool> {
  const piscina = new Piscina({ filename: tasksModule, minThreads: threads, maxThreads: threads });
  return Promise.resolve({
    run: (workload) => piscina.run(workload.payload, { name: workload.name }),
    close: () => piscina.destroy(),
  });
}

function openTinypool(): Promise<Pool> {
  const tinypool = new Tinypool({ filename: tasksModule, minThreads: threads, maxThreads: threads });
  return Promise.resolve({
    run: (workload) => tinypool.run(workload.payload, { name: workload.name }) as Promise<unknown>,
    close: () => tinypool.destroy(),
  });
}

function openWorkerpool(): Promise<Pool> {
  const workers = workerpool.pool(workerpoolScript.pathname, { minWorkers: threads, maxWorkers: threads, workerType: 'thread' });
  return Promise.resolve({
    run: (workload) => workers.exec(workload.name, [workload.payload]) as Promise<unknown>,
    close: async () => {
      await workers.terminate();
    },
  });
}

function contenders(workload: Workload, total: number, inFlight: number): Contender[] {
  return [
    pool(systems.rhodiumThreads, 'rhodium', openRhodium, workload, total, inFlight),
    pool(systems.bare, 'baseline', openBare, workload, total, inFlight),
    pool(systems.piscina, 'peer', openPiscina, workload, total, inFlight),
    pool(systems.tinypool, 'peer', openTinypool, workload, total, inFlight),
    pool(systems.workerpool, 'peer', openWorkerpool, workload, total, inFlight),
  ];
}

const scenario: Scenario = {
  id: 'pool-threads',
  title: 'Pool on worker threads',
  description:
    `Each pool runs ${threads} threads (one per core); rhodium's is a WorkerPool of ${threads} workers placed 'spread', one per thread. Tasks are the tiny add of two numbers and SHA-256 of the same 4 KiB, ` +
    'copied to the worker on every call; the value is tasks completed per second.',
  cases(mode) {
    const scale = mode === 'quick' ? 0.1 : 3;
    const cases = [
      { workload: workloads.add, inFlight: 1, total: 1000 * scale },
      { workload: workloads.add, inFlight: 256, total: 10_000 * scale },
      { workload: workloads.sha256, inFlight: 1, total: 1000 * scale },
      { workload: workloads.sha256, inFlight: 256, total: 10_000 * scale },
    ];
    return cases.map(({ workload, inFlight, total }) => ({
      id: `${workload.name}-${inFlight}-in-flight`,
      label: `${workload.name === 'add' ? 'add two numbers' : 'SHA-256 of 4 KiB'}, ${inFlight} in flight, ${total.toLocaleString('en-US')} tasks`,
      metric: { unit: 'tasks/s', better: 'higher' },
      contenders: contenders(workload, total, inFlight),
      // Thread pools are the slowest systems here; fewer rounds keep the full run within minutes.
      ...(mode === 'full' ? { rounds: 6, warmupRounds: 1 } : {}),
    }));
  },
  targets: [
    caseRatioTarget('rhodium pool >= 2x piscina, add, 256 in flight', 'add-256-in-flight', systems.rhodiumThreads, '>=', 2, systems.piscina),
    caseRatioTarget('rhodium pool >= piscina, add, 1 in flight', 'add-1-in-flight', systems.rhodiumThreads, '>=', 1, systems.piscina),
  ],
};

export default scenario;
