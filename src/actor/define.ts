/**
 * Actor definitions and the types inferred from them.
 *
 * An actor is a factory for fresh state, optional lifecycle hooks, and one
 * handler per message type. The message type of a handler is its second
 * parameter plus `{ type: <handler name> }`; its reply is its awaited return.
 */

import type { ActorContext } from './context.js';
import type { StopReason } from './stop-reason.js';

/** A handler: receives the state, the message and the context; its return value is the reply. */
// `any` in the message position lets each handler declare its own message type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler<S = any> = (state: S, message: any, ctx: ActorContext) => unknown;

/** A map from message type to handler. */
export type HandlerMap<S = never> = Record<string, AnyHandler<S>>;

/** What `defineActor` accepts. */
export interface ActorSpec<S, H extends HandlerMap<S>> {
  /** Name of the actor kind, used in paths of unnamed spawns, pools and errors. */
  readonly name: string;
  /** Creates fresh state; called on every start and restart. */
  readonly state: () => S;
  /** Runs before the first message; throwing or rejecting is a start failure. */
  readonly onStart?: (state: S, ctx: ActorContext) => void | Promise<void>;
  /** One handler per message type. */
  readonly handlers: H;
  /** Runs once when the incarnation ends, whatever the reason. */
  readonly onStop?: (state: S, ctx: ActorContext, reason: StopReason) => void | Promise<void>;
}

/** A validated actor definition, as returned by `defineActor`. */
export interface ActorDefinition<S = unknown, H extends HandlerMap<S> = HandlerMap<S>> extends ActorSpec<S, H> {
  /** Handlers in a prototype-free table, so `toString` or `__proto__` never match a message type. */
  readonly handlerTable: Readonly<Record<string, AnyHandler<S> | undefined>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActorDefinition = ActorDefinition<any, any>;

/** The handler map of a definition. */
export type HandlersOf<D> = D extends { readonly handlers: infer H } ? H : never;

/**
 * The fields of a handler's message besides `type`. A handler without a
 * message parameter takes no other field. The omit distributes over a union,
 * so each variant of a union message keeps its own fields.
 */
type MessageBody<F> = F extends (state: never, message: infer M, ...rest: never[]) => unknown
  ? unknown extends M
    ? unknown
    : M extends unknown
      ? Omit<M, 'type'>
      : never
  : never;

/** The message of variant `K` of handler map `H`. */
export type MessageFor<H, K extends keyof H> = { readonly type: K } & MessageBody<H[K]>;

/** The reply of variant `K` of handler map `H`. */
export type ReplyFor<H, K extends keyof H> = H[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The union of every message a definition accepts. */
export type MessageOf<D> = {
  [K in keyof HandlersOf<D> & string]: MessageFor<HandlersOf<D>, K>;
}[keyof HandlersOf<D> & string];

/** The reply type of the variant of `D` named `K`. */
export type ReplyOf<D, K extends keyof HandlersOf<D>> = ReplyFor<HandlersOf<D>, K>;

/**
 * Defines an actor kind. Message and reply types are inferred from the
 * handlers, so `ask` returns the reply type of the variant passed and a
 * message the actor does not accept does not compile.
 *
 * @throws TypeError naming the field when the spec is malformed.
 */
export function defineActor<S, H extends HandlerMap<S>>(spec: ActorSpec<S, H>): ActorDefinition<S, H> {
  if (typeof spec !== 'object' || spec === null) {
    throw new TypeError(`defineActor expects a spec object, got ${spec === null ? 'null' : typeof spec}`);
  }
  if (typeof spec.name !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(spec.name)) {
    throw new TypeError(
      `defineActor: invalid name ${JSON.stringify(spec.name)}; use one or more of the characters A-Z a-z 0-9 _ . : -`,
    );
  }
  if (typeof spec.state !== 'function') {
    throw new TypeError(`defineActor '${spec.name}': state must be a function that returns fresh state`);
  }
  for (const hook of ['onStart', 'onStop'] as const) {
    if (spec[hook] !== undefined && typeof spec[hook] !== 'function') {
      throw new TypeError(`defineActor '${spec.name}': ${hook} must be a function or undefined`);
    }
  }
  if (typeof spec.handlers !== 'object' || spec.handlers === null) {
    throw new TypeError(`defineActor '${spec.name}': handlers must be an object of functions`);
  }

  const handlerTable = Object.create(null) as Record<string, AnyHandler<S> | undefined>;
  for (const [type, handler] of Object.entries(spec.handlers)) {
    if (typeof handler !== 'function') {
      throw new TypeError(`defineActor '${spec.name}': handler '${type}' must be a function, got ${typeof handler}`);
    }
    handlerTable[type] = handler;
  }

  return Object.freeze({ ...spec, handlerTable: Object.freeze(handlerTable) });
}
