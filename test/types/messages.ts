/**
 * Type tests for message and reply typing. tsc checks this file as part of
 * the build; it is never run. A line marked `@ts-expect-error` fails the
 * build when it starts to compile.
 */

import { expectTypeOf } from 'expect-type';
import { defineActor, type MessageOf, type ReplyOf, type SendError, type StableAddr } from '../../src/index.js';

export const Store = defineActor({
  name: 'store',
  state: () => ({ entries: new Map<string, number>() }),
  handlers: {
    put(state, message: { key: string; value: number }): void {
      state.entries.set(message.key, message.value);
    },
    get(state, message: { key: string }): number | undefined {
      return state.entries.get(message.key);
    },
    async size(state): Promise<number> {
      await Promise.resolve();
      return state.entries.size;
    },
    clear(state): boolean {
      state.entries.clear();
      return true;
    },
  },
});

declare const store: StableAddr<typeof Store>;

// ask returns the reply type of the variant passed, for sync and async handlers.
expectTypeOf(store.ask({ type: 'get', key: 'a' })).toEqualTypeOf<Promise<number | undefined>>();
expectTypeOf(store.ask({ type: 'put', key: 'a', value: 1 })).toEqualTypeOf<Promise<void>>();
expectTypeOf(store.ask({ type: 'size' })).toEqualTypeOf<Promise<number>>();
expectTypeOf(store.ask({ type: 'clear' })).toEqualTypeOf<Promise<boolean>>();
expectTypeOf<ReplyOf<typeof Store, 'size'>>().toEqualTypeOf<number>();
expectTypeOf<ReplyOf<typeof Store, 'get'>>().toEqualTypeOf<number | undefined>();

// send returns a SendError value or undefined.
expectTypeOf(store.send({ type: 'clear' })).toEqualTypeOf<SendError | undefined>();

// MessageOf is the union of every variant.
type StoreMessage = MessageOf<typeof Store>;
expectTypeOf<StoreMessage['type']>().toEqualTypeOf<'put' | 'get' | 'size' | 'clear'>();
expectTypeOf<{ type: 'put'; key: string; value: number }>().toExtend<StoreMessage>();
expectTypeOf<{ type: 'get'; key: string }>().toExtend<StoreMessage>();
expectTypeOf<{ type: 'size' }>().toExtend<StoreMessage>();
expectTypeOf<{ type: 'clear' }>().toExtend<StoreMessage>();
expectTypeOf<{ type: 'get' }>().not.toExtend<StoreMessage>();
expectTypeOf<{ type: 'drop' }>().not.toExtend<StoreMessage>();
expectTypeOf<{ type: 'put'; key: string; value: string }>().not.toExtend<StoreMessage>();

export function rejectsUnknownOrMalformedMessages(): void {
  // @ts-expect-error an unknown type does not compile
  void store.ask({ type: 'drop' });
  // @ts-expect-error an unknown type does not compile in send either
  store.send({ type: 'drop' });
  // @ts-expect-error a field of the wrong type does not compile
  void store.ask({ type: 'put', key: 'a', value: 'one' });
  // @ts-expect-error a missing field does not compile
  void store.ask({ type: 'get' });
  // @ts-expect-error a missing field does not compile in send either
  store.send({ type: 'put', key: 'a' });
  // @ts-expect-error an extra field does not compile
  void store.ask({ type: 'get', key: 'a', extra: true });
  // @ts-expect-error a message without a type does not compile
  store.send({ key: 'a' });
}

export function handlerWithoutMessageTakesTypeOnly(): void {
  expectTypeOf<Extract<StoreMessage, { type: 'size' }>>().toEqualTypeOf<{ readonly type: 'size' }>();
  // @ts-expect-error a handler without a message parameter takes no other field
  void store.ask({ type: 'size', key: 'a' });
  // @ts-expect-error the same holds for send
  store.send({ type: 'clear', all: true });
}

// A StableAddr of an unknown definition, as `lookup` returns, accepts no message at all.
declare const untyped: StableAddr;
export function untypedAddressAcceptsNothing(): void {
  // @ts-expect-error an untyped address has no message types
  untyped.send({ type: 'put', key: 'a', value: 1 });
}

// A handler whose message parameter is a union keeps every variant's fields.
export const Dial = defineActor({
  name: 'dial',
  state: () => ({ level: 0 }),
  handlers: {
    adjust(state, message: { op: 'up'; by: number } | { op: 'reset' }): number {
      state.level = message.op === 'up' ? state.level + message.by : 0;
      return state.level;
    },
  },
});
declare const dial: StableAddr<typeof Dial>;
expectTypeOf(dial.ask({ type: 'adjust', op: 'up', by: 2 })).toEqualTypeOf<Promise<number>>();
expectTypeOf(dial.ask({ type: 'adjust', op: 'reset' })).toEqualTypeOf<Promise<number>>();
export function unionMessagesKeepTheirVariants(): void {
  // @ts-expect-error the 'up' variant needs `by`
  void dial.ask({ type: 'adjust', op: 'up' });
}
