/**
 * Pool routing overhead: the same work sent straight to one actor's
 * StableAddr and through a `WorkerPool` on the engine's own thread. A pool
 * of one worker does the direct send's work plus routing, so its ratio to
 * the direct row is the routing cost. A pool of four also schedules four
 * actors and waits for four barrier asks per batch.
 */

import { defineActor, Engine, type StableAddr, type WorkerPool } from '../../src/index.js';
import { caseRatioTarget } from '../harness/targets.js';
import type { Contender, Runner, Scenario } from '../harness/types.js';

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

/** Messages sent before the sender waits for them to be handled; every mailbox holds one batch and its barrier ask. */
const batchSize = 1024;

const names = {
  direct: 'direct StableAddr',
  single: 'pool of 1',
  quad: 'pool of 4',
} as const;

/** A way to reach the work: straight to one actor, or through a pool. */
interface Target {
  /** Sends `count` messages in batches and waits until all are handled. */
  tell(count: number): Promise<void>;
  /** Asks `count` times, one after another. */
  askSequentially(count: number): Promise<void>;
}

function directTarget(addr: StableAddr<Summer>): Target {
  return {
    async tell(count) {
      for (let sent = 0; sent < count; sent += batchSize) {
        for (let i = 0; i < batchSize; i++) {
          const error = addr.send({ type: 'add', n: 1 });
          if (error !== undefined) throw error;
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

function poolTarget(pool: WorkerPool<Summer>): Target {
  return {
    async tell(count) {
      for (let sent = 0; sent < count; sent += batchSize) {
        for (let i = 0; i < batchSize; i++) {
          const error = pool.send({ type: 'add', n: 1 });
          if (error !== undefined) throw error;
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

type Open = (engine: Engine) => Target;

const openers: Record<keyof typeof names, Open> = {
  direct: (engine) => directTarget(engine.spawn(Summer, { name: 'direct', mailboxCapacity: batchSize + 1 })),
  single: (engine) => poolTarget(engine.spawnWorkerPool(Summer, { size: 1, namePrefix: 'single', mailboxCapacity: batchSize + 1 })),
  quad: (engine) => poolTarget(engine.spawnWorkerPool(Summer, { size: 4, namePrefix: 'quad', mailboxCapacity: batchSize + 1 })),
};

/**
 * A contender whose trial runs `work` on a fresh default engine's target and
 * returns the process's CPU time per operation in nanoseconds. Everything
 * here runs on one thread, so CPU time is the work itself, while wall time
 * also counts the time other processes hold the core.
 */
function contender(key: keyof typeof names, count: number, work: (target: Target, count: number) => Promise<void>): Contender {
  return {
    name: names[key],
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start();
      const target = openers[key](engine);
      await work(target, batchSize);
      return {
        async trial() {
          const before = process.cpuUsage();
          await work(target, count);
          const used = process.cpuUsage(before);
          return ((used.user + used.system) * 1000) / count;
        },
        close: async () => {
          await engine.shutdown();
        },
      };
    },
  };
}

function contenders(count: number, work: (target: Target, count: number) => Promise<void>): Contender[] {
  return [contender('direct', count, work), contender('single', count, work), contender('quad', count, work)];
}

const scenario: Scenario = {
  id: 'pool-routing',
  title: 'Pool routing overhead',
  description:
    'The same messages sent straight to one actor\'s StableAddr and through a WorkerPool on the engine\'s thread, ' +
    'default config; the value is this process\'s CPU time per message or per ask (wall time would also count the time ' +
    'other processes hold the core), and "vs rhodium" is the ratio to the direct row.',
  cases(mode) {
    const tellCount = mode === 'quick' ? 20 * batchSize : 200 * batchSize;
    const askCount = mode === 'quick' ? 2_000 : 20_000;
    return [
      {
        id: 'tell',
        label: `send, ${tellCount.toLocaleString('en-US')} messages in batches of ${batchSize.toLocaleString('en-US')}`,
        metric: { unit: 'CPU ns/msg', better: 'lower' },
        contenders: contenders(tellCount, (target, count) => target.tell(count)),
      },
      {
        id: 'ask',
        label: `ask, ${askCount.toLocaleString('en-US')} in sequence`,
        metric: { unit: 'CPU ns/ask', better: 'lower' },
        contenders: contenders(askCount, (target, count) => target.askSequentially(count)),
      },
    ];
  },
  targets: [
    caseRatioTarget('pool of 1 send costs < 1.2x a direct send', 'tell', names.single, '<', 1.2, names.direct),
    caseRatioTarget('pool of 1 ask costs < 1.2x a direct ask', 'ask', names.single, '<', 1.2, names.direct),
  ],
};

export default scenario;
