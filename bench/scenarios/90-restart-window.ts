/**
 * Restart window: how long a StableAddr cannot route after a failure. A
 * handler throws (on the engine's thread, or on a worker thread), or the
 * worker thread itself exits; the window runs from the request that causes
 * the failure until the StableAddr names the next incarnation. A trial
 * repeats the failure several times and returns the median window.
 */

import { actorModule, Engine, type EngineConfig, type SpawnOptions, type StableAddr } from '../../src/index.js';
import { boundTarget } from '../harness/targets.js';
import type { Contender, Mode, Runner, Scenario } from '../harness/types.js';
import { median } from '../harness/stats.js';
import { BareThreadPool } from '../systems/bare-thread-pool.js';
import { systems } from '../systems/names.js';
import { since } from '../systems/probe.js';
import { BenchActor } from '../workers/bench-actor.js';

const BenchModule = actorModule<typeof BenchActor>(new URL('../workers/bench-actor.js', import.meta.url), 'BenchActor');

/** Far more restarts than any run asks for, so the supervisor never escalates. */
const supervision = { intensity: { maxRestarts: 1_000_000, windowMs: 60_000 } };

type Fault = 'crash' | 'exitThread';

/** Causes one failure and returns milliseconds until `actor` routes to the next incarnation. */
async function measureWindow(actor: StableAddr<typeof BenchActor>, fault: Fault): Promise<number> {
  const generation = actor.current()?.generation;
  if (generation === undefined) throw new Error(`${actor.path} is not live before the ${fault}`);
  const startedAt = performance.now();
  // The ask rejects (HandlerFailed or NoResponse); the failure is the point.
  await actor.ask({ type: fault }).catch(() => undefined);
  for (;;) {
    await actor.whenLive();
    if ((actor.current()?.generation ?? 0) > generation) return since(startedAt);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function rhodium(name: string, config: EngineConfig, spawn: (engine: Engine) => StableAddr<typeof BenchActor>, fault: Fault, repeats: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start({ ...config, supervision });
      const actor = spawn(engine);
      await actor.whenLive();
      await actor.ask({ type: 'add', a: 1, b: 1 });
      return {
        async trial() {
          const windows: number[] = [];
          for (let i = 0; i < repeats; i++) windows.push(await measureWindow(actor, fault));
          return median(windows);
        },
        close: async () => {
          await engine.shutdown();
        },
      };
    },
  };
}

/** The floor for a thread death: start one bare `Worker` and get one reply from it. */
function bareThreadStart(repeats: number): Contender {
  return {
    name: systems.bare,
    kind: 'baseline',
    start() {
      return Promise.resolve({
        async trial() {
          const windows: number[] = [];
          for (let i = 0; i < repeats; i++) {
            const startedAt = performance.now();
            const pool = await BareThreadPool.start(1);
            await pool.run({ name: 'add', payload: { a: 1, b: 1 } });
            windows.push(since(startedAt));
            await pool.close();
          }
          return median(windows);
        },
        close: () => Promise.resolve(),
      });
    },
  };
}

const onThread: SpawnOptions = { name: 'bench', placement: { thread: 0 } };

function repeatsOf(mode: Mode, fault: Fault): number {
  if (fault === 'crash') return mode === 'quick' ? 20 : 200;
  return mode === 'quick' ? 3 : 10;
}

const scenario: Scenario = {
  id: 'restart-window',
  title: 'Restart window after a failure',
  description:
    'One actor under the default one-for-one supervisor with no backoff; the value is the median time from the request ' +
    'that fails until its StableAddr routes to the next incarnation. The bare baseline for a thread death starts a bare Worker and waits for one reply.',
  cases(mode) {
    const crashes = repeatsOf(mode, 'crash');
    const deaths = repeatsOf(mode, 'exitThread');
    return [
      {
        id: 'handler-crash-local',
        label: `handler throws, actor on the engine's thread, median of ${crashes} restarts`,
        metric: { unit: 'ms', better: 'lower' },
        contenders: [rhodium(systems.rhodium, {}, (engine) => engine.spawn(BenchActor, { name: 'bench' }), 'crash', crashes)],
      },
      {
        id: 'handler-crash-thread',
        label: `handler throws, actor on a worker thread, median of ${crashes} restarts`,
        metric: { unit: 'ms', better: 'lower' },
        contenders: [rhodium(systems.rhodium, { threads: 1 }, (engine) => engine.spawn(BenchModule, onThread), 'crash', crashes)],
      },
      {
        id: 'thread-death',
        label: `worker thread exits, median of ${deaths} restarts on a replacement thread`,
        metric: { unit: 'ms', better: 'lower' },
        contenders: [
          rhodium(systems.rhodium, { threads: 1 }, (engine) => engine.spawn(BenchModule, onThread), 'exitThread', deaths),
          bareThreadStart(deaths),
        ],
      },
    ];
  },
  targets: [
    boundTarget('rhodium restart window after a handler crash on a thread < 1 ms', { caseId: 'handler-crash-thread', system: systems.rhodium }, '<', 1),
    boundTarget('rhodium restart window after a thread death <= 100 ms', { caseId: 'thread-death', system: systems.rhodium }, '<=', 100),
  ],
};

export default scenario;
