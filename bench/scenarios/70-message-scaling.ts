/**
 * Cost per message as the message count grows: one actor whose mailbox is
 * sized to hold every message is sent 10^4, 10^5 and 10^6 messages at once,
 * then drains them. A flat cost per message means the mailbox ring, the
 * scheduler's yielding and the garbage collector all stay O(1) per message
 * however deep the queue gets.
 */

import { defineActor, Engine, type EngineConfig } from '../../src/index.js';
import { ratioTarget } from '../harness/targets.js';
import type { Case, Contender, Mode, Runner, Scenario } from '../harness/types.js';
import { BareActor, BareScheduler } from '../systems/bare-actors.js';
import { systems } from '../systems/names.js';
import { Probe, since } from '../systems/probe.js';

interface AddMessage {
  readonly type: 'add';
  readonly by: number;
}

const probe = new Probe();

/** Sends `count` messages at once through `sendAll`, awaits them all, and returns nanoseconds per message. */
async function measureBurst(count: number, sendAll: () => void): Promise<number> {
  const startedAt = performance.now();
  const handled = probe.expect(count);
  sendAll();
  await handled;
  return (since(startedAt) * 1e6) / count;
}

const Counter = defineActor({
  name: 'counter',
  state: () => ({ total: 0 }),
  handlers: {
    add(state, message: { by: number }): void {
      state.total += message.by;
      probe.arrive();
    },
  },
});

function rhodium(name: string, config: EngineConfig, count: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start(config);
      const counter = engine.spawn(Counter, { name: 'counter', mailboxCapacity: count });
      await counter.whenLive();
      return {
        trial: () =>
          measureBurst(count, () => {
            for (let i = 0; i < count; i++) {
              const error = counter.send({ type: 'add', by: 1 });
              if (error !== undefined) throw error;
            }
          }),
        close: async () => {
          await engine.shutdown();
        },
      };
    },
  };
}

function bare(count: number): Contender {
  return {
    name: systems.bare,
    kind: 'baseline',
    start() {
      const actor = new BareActor<{ total: number }, AddMessage>(new BareScheduler(), { total: 0 }, {
        add(state, message) {
          state.total += message.by;
          probe.arrive();
        },
      });
      return Promise.resolve({
        trial: () =>
          measureBurst(count, () => {
            for (let i = 0; i < count; i++) actor.send({ type: 'add', by: 1 });
          }),
        close: () => Promise.resolve(),
      });
    },
  };
}

/** Burst sizes; quick mode stops at 10^5, so the flatness targets report no data there. */
const countsByMode: Record<Mode, readonly number[]> = { quick: [10_000, 100_000], full: [10_000, 100_000, 1_000_000] };

function caseFor(count: number): Case {
  return {
    id: `messages-${count}`,
    label: `1 actor, ${count.toLocaleString('en-US')} messages queued at once`,
    metric: { unit: 'ns/msg', better: 'lower' },
    contenders: [
      rhodium(systems.rhodium, {}, count),
      rhodium(systems.rhodiumNoAsyncContext, { propagateAsyncContext: false }, count),
      bare(count),
    ],
  };
}

const largest = { caseId: 'messages-1000000', system: systems.rhodium };
const smallest = { caseId: 'messages-10000', system: systems.rhodium };

const scenario: Scenario = {
  id: 'message-scaling',
  title: 'Cost per message as the count grows',
  description:
    'One actor with a mailbox as large as the burst is sent the whole burst at once and drains it; ' +
    'the value is nanoseconds per message. Peers are left out: the question is whether rhodium stays flat.',
  cases: (mode) => countsByMode[mode].map(caseFor),
  targets: [
    ratioTarget('rhodium cost per message stays flat: 10^6 messages <= 1.25x the cost at 10^4', largest, '<=', 1.25, smallest),
    ratioTarget(
      'rhodium (propagateAsyncContext: false) cost per message stays flat: 10^6 <= 1.25x 10^4',
      { ...largest, system: systems.rhodiumNoAsyncContext },
      '<=',
      1.25,
      { ...smallest, system: systems.rhodiumNoAsyncContext },
    ),
  ],
};

export default scenario;
