/**
 * Cost per message as the message count grows: one actor whose mailbox is
 * sized to hold a whole burst is sent bursts of 10^4, 10^5 and 10^6
 * messages at once and drains each before the next. Every trial handles
 * the same total, so only the queue depth differs between cases. A flat
 * cost per message means the mailbox ring, the scheduler's yielding and
 * the garbage collector all stay O(1) per message however deep the queue
 * gets.
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

/** Sends `total` messages in bursts of `burst` through `sendBurst`, awaiting each, and returns nanoseconds per message. */
async function measureBursts(total: number, burst: number, sendBurst: () => void): Promise<number> {
  const startedAt = performance.now();
  for (let sent = 0; sent < total; sent += burst) {
    const handled = probe.expect(burst);
    sendBurst();
    await handled;
  }
  return (since(startedAt) * 1e6) / total;
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

function rhodium(name: string, config: EngineConfig, total: number, count: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start(config);
      const counter = engine.spawn(Counter, { name: 'counter', mailboxCapacity: count });
      await counter.whenLive();
      return {
        trial: () =>
          measureBursts(total, count, () => {
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

function bare(total: number, count: number): Contender {
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
          measureBursts(total, count, () => {
            for (let i = 0; i < count; i++) actor.send({ type: 'add', by: 1 });
          }),
        close: () => Promise.resolve(),
      });
    },
  };
}

/** Burst sizes and messages per trial; quick mode stops at 10^5, so the flatness targets report no data there. */
const sizes: Record<Mode, { readonly bursts: readonly number[]; readonly total: number }> = {
  quick: { bursts: [10_000, 100_000], total: 100_000 },
  full: { bursts: [10_000, 100_000, 1_000_000], total: 1_000_000 },
};

function caseFor(count: number, total: number): Case {
  return {
    id: `messages-${count}`,
    label: `1 actor, bursts of ${count.toLocaleString('en-US')} messages queued at once, ${total.toLocaleString('en-US')} per trial`,
    metric: { unit: 'ns/msg', better: 'lower' },
    contenders: [
      rhodium(systems.rhodium, {}, total, count),
      rhodium(systems.rhodiumNoAsyncContext, { propagateAsyncContext: false }, total, count),
      bare(total, count),
    ],
  };
}

const largest = { caseId: 'messages-1000000', system: systems.rhodium };
const smallest = { caseId: 'messages-10000', system: systems.rhodium };

const scenario: Scenario = {
  id: 'message-scaling',
  title: 'Cost per message as the count grows',
  description:
    'One actor with a mailbox as large as the burst is sent bursts of one size, each drained before the next, ' +
    'the same number of messages in every case; the value is nanoseconds per message. ' +
    'Peers are left out: the question is whether rhodium stays flat.',
  cases: (mode) => sizes[mode].bursts.map((count) => caseFor(count, sizes[mode].total)),
  targets: [
    ratioTarget('rhodium cost per message stays flat: bursts of 10^6 <= 1.25x the cost at 10^4', largest, '<=', 1.25, smallest),
    ratioTarget(
      'rhodium (propagateAsyncContext: false) cost per message stays flat: bursts of 10^6 <= 1.25x 10^4',
      { ...largest, system: systems.rhodiumNoAsyncContext },
      '<=',
      1.25,
      { ...smallest, system: systems.rhodiumNoAsyncContext },
    ),
  ],
};

export default scenario;
