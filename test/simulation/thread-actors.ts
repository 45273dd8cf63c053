/**
 * Actor definitions that simulated threads import by URL, as worker
 * threads do. They know nothing of the simulation.
 */

import { defineActor } from '../../src/index.js';

export const Counter = defineActor({
  name: 'counter',
  state: () => ({ handled: 0, received: [] as string[] }),
  handlers: {
    work(state): number {
      state.handled++;
      return state.handled;
    },
    async slowWork(state): Promise<number> {
      await Promise.resolve();
      state.handled++;
      return state.handled;
    },
    record(state, message: { from: string; seq: number }): void {
      state.received.push(`${message.from}:${message.seq}`);
    },
    received(state): string[] {
      return state.received;
    },
    echo(_state, message: { value: unknown }): unknown {
      return message.value;
    },
    unclonableReply(): () => void {
      return () => undefined;
    },
  },
});
