/**
 * The worked example of docs/testing.md, kept here so it keeps running.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, defineActor } from '../../src/index.js';
import { forEachSeed, Simulation } from '../../src/testing/index.js';

const Session = defineActor({
  name: 'session',
  state: () => ({ user: undefined as string | undefined }),
  handlers: {
    login(state, message: { user: string }, ctx): void {
      state.user = message.user;
      // To this incarnation only: a restarted session has nothing to expire.
      ctx.sendAfter(5000, ctx.addr, { type: 'expire' });
    },
    expire(state): void {
      state.user = undefined;
    },
    whoami(state): string | undefined {
      return state.user;
    },
  },
});

test('session expires after 5 s', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const session = sim.engine.spawn(Session, { name: 'session' });
  session.send({ type: 'login', user: 'ada' });

  await sim.advance(4999);
  assert.equal(await sim.run(session.ask({ type: 'whoami' })), 'ada');
  await sim.advance(1);
  assert.equal(await sim.run(session.ask({ type: 'whoami' })), undefined);
  await sim.shutdown();
});

test('crashed login leaves a fresh session', async () => {
  await forEachSeed(1000, async (sim) => {
    const session = sim.engine.spawn(Session, { name: 'session' });
    sim.crashOnMessage(session, 'login');

    const error = await sim.run(session.ask({ type: 'login', user: 'ada' })).catch((caught: unknown) => caught);
    assert.ok(error instanceof AskError);
    assert.equal(error.kind, 'HandlerFailed');

    await sim.run(session.whenLive());
    assert.equal(session.current()?.generation, 2);
    assert.equal(await sim.run(session.ask({ type: 'whoami' })), undefined);
  });
});
