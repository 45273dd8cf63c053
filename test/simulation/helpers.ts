/**
 * Actors and probes shared by the simulation tests. The actors are ordinary
 * definitions with no reference to the simulation.
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import {
  channelNames,
  defineActor,
  type ActorFailureEvent,
  type ActorRestartEvent,
  type ActorStopEvent,
  type EngineSnapshot,
  type EscalationEvent,
  type ActorEvent,
  type SupervisionStrategy,
  type Intensity,
  type StableAddr,
} from '../../src/index.js';

export const Worker = defineActor({
  name: 'worker',
  state: () => ({ handled: 0 }),
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
    count(state): number {
      return state.handled;
    },
    quit(_state, _message: object, ctx): void {
      ctx.stop();
    },
  },
});

export const childNames = ['a', 'b', 'c'] as const;

/** A supervisor whose every incarnation spawns the children `a`, `b`, `c` in that order. */
export const Supervisor = defineActor({
  name: 'supervisor',
  state: () => ({ children: [] as StableAddr<typeof Worker>[] }),
  onStart(state, ctx): void {
    for (const name of childNames) state.children.push(ctx.spawn(Worker, { name }));
  },
  handlers: {
    ping(): string {
      return 'pong';
    },
  },
});

/** Supervision options for the supervisor's children. */
export function supervision(strategy: SupervisionStrategy, intensity?: Intensity): {
  strategy: SupervisionStrategy;
  intensity?: Intensity;
} {
  return intensity === undefined ? { strategy } : { strategy, intensity };
}

/** Lifecycle events in publication order, as short lines such as `stop /user/sup/c#1 killed`. */
export class EventLog {
  readonly lines: string[] = [];
  readonly failures: ActorFailureEvent[] = [];
  readonly escalations: EscalationEvent[] = [];
  private readonly subscriptions: [string, (message: unknown) => void][] = [];

  constructor() {
    this.listen(channelNames.actorStart, (event: ActorEvent) => `start ${event.path}#${event.generation}`);
    this.listen(channelNames.actorStop, (event: ActorStopEvent) => `stop ${event.path}#${event.generation} ${event.reason}`);
    this.listen(channelNames.actorRestart, (event: ActorRestartEvent) => `restart ${event.path}#${event.generation} ${event.cause}`);
    this.listen(channelNames.actorFailure, (event: ActorFailureEvent) => {
      this.failures.push(event);
      return `failure ${event.path}#${event.generation}`;
    });
    this.listen(channelNames.escalation, (event: EscalationEvent) => {
      this.escalations.push(event);
      return `escalation ${event.path} by ${event.supervisor}`;
    });
  }

  /** Lines that start with `prefix`, for example `'stop '`. */
  matching(prefix: string): string[] {
    return this.lines.filter((line) => line.startsWith(prefix));
  }

  close(): void {
    for (const [name, listener] of this.subscriptions) diagnosticsChannel.unsubscribe(name, listener);
  }

  // Each channel publishes one event shape, so the listener narrows it for its formatter.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private listen(name: string, format: (event: any) => string): void {
    const listener = (message: unknown): void => {
      this.lines.push(format(message));
    };
    diagnosticsChannel.subscribe(name, listener);
    this.subscriptions.push([name, listener]);
  }
}

/** Returns the snapshot entry of one actor path, and throws when the path is not live. */
export function actorEntry(snapshot: EngineSnapshot, path: string): EngineSnapshot['actors'][number] {
  const entry = snapshot.actors.find((actor) => actor.path === path);
  if (entry === undefined) throw new Error(`${path} is not in the snapshot`);
  return entry;
}
