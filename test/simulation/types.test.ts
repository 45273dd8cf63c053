import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import { defineActor } from '../../src/index.js';
import { Simulation, type CrashFault } from '../../src/testing/index.js';

const Greeter = defineActor({
  name: 'greeter',
  state: () => ({}),
  handlers: {
    greet(_state, message: { name: string }): string {
      return `hello ${message.name}`;
    },
  },
});

test('run keeps the reply type', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const greeter = sim.engine.spawn(Greeter, { name: 'greeter' });

  const reply = await sim.run(greeter.ask({ type: 'greet', name: 'ada' }));
  expectTypeOf(reply).toEqualTypeOf<string>();
  expectTypeOf(sim.crashOnMessage(greeter, 'greet')).toEqualTypeOf<CrashFault>();
  // @ts-expect-error the engine options of a simulation exclude the clock.
  await Simulation.start({ seed: 1, engine: { clock: undefined } }).catch(() => undefined);
  await sim.shutdown();
});
