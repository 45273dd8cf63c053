import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, defineActor, SendError, type AskErrorKind, type WorkerPool } from '../../src/index.js';
import { lenientSupervision, sleep, startEngine } from './support.js';

// The map outlives restarts, so a repeated message is applied once.
const applied = new Map<string, number>();
// Ids whose first attempt has already crashed a worker.
const crashedOnce = new Set<string>();

const Ledger = defineActor({
  name: 'ledger',
  state: () => ({}),
  handlers: {
    credit(_state, message: { id: string; amount: number; crashFirst: boolean }): number {
      if (message.crashFirst && !crashedOnce.has(message.id)) {
        crashedOnce.add(message.id);
        throw new Error('injected fault');
      }
      const done = applied.get(message.id);
      if (done !== undefined) return done;
      applied.set(message.id, message.amount);
      return message.amount;
    },
  },
});

function isRetryable(error: unknown): boolean {
  if (!(error instanceof AskError)) return false;
  if (error.kind === 'NoResponse' || error.kind === 'HandlerFailed') return true;
  return (
    error.kind === 'Send' &&
    error.cause instanceof SendError &&
    (error.cause.kind === 'MailboxFull' || error.cause.kind === 'Unroutable')
  );
}

test('ask with retries delivers every message', async () => {
  await using engine = await startEngine({
    supervision: { ...lenientSupervision, backoff: { minMs: 3, maxMs: 3, jitter: 0 } },
  });
  const pool: WorkerPool<typeof Ledger> = engine.spawnWorkerPool(Ledger, { size: 3, mailboxCapacity: 4 });
  const retriedOn = new Set<AskErrorKind>();

  const credit = async (id: string, amount: number, crashFirst: boolean): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await pool.ask({ type: 'credit', id, amount, crashFirst });
      } catch (error) {
        if (!isRetryable(error) || attempt === 50) throw error;
        retriedOn.add((error as AskError).kind);
        await sleep(1);
      }
    }
  };

  const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => credit(`c${i}`, i, i % 5 === 0)));

  assert.deepEqual(replies, Array.from({ length: 30 }, (_, i) => i));
  assert.equal(applied.size, 30);
  for (let i = 0; i < 30; i++) assert.equal(applied.get(`c${i}`), i);
  assert.ok(retriedOn.has('HandlerFailed'));
  assert.ok(retriedOn.has('NoResponse'));
  assert.ok(retriedOn.has('Send'));
  assert.equal(engine.snapshot().pendingAsks, 0);
});
