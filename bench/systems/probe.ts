/**
 * A countdown that a trial awaits: handlers call `arrive()` once per message
 * they finish, and the promise from `expect(n)` resolves at the n-th call.
 * Every system in a case calls it the same way, so it costs them all alike.
 */
export class Probe {
  private remaining = 0;
  private resolveWaiter: (() => void) | undefined;
  private rejectWaiter: ((error: unknown) => void) | undefined;

  /** Arms the countdown for `count` arrivals and returns a promise of the last one. */
  expect(count: number): Promise<void> {
    if (this.remaining > 0) throw new Error(`Probe armed while ${this.remaining} arrivals are still expected`);
    this.remaining = count;
    return new Promise((resolve, reject) => {
      this.resolveWaiter = resolve;
      this.rejectWaiter = reject;
    });
  }

  arrive(): void {
    this.remaining--;
    if (this.remaining !== 0) return;
    const resolve = this.resolveWaiter;
    this.resolveWaiter = undefined;
    this.rejectWaiter = undefined;
    resolve?.();
  }

  /** Rejects the awaited promise, as a handler does when a send it makes fails, so the trial fails instead of hanging. */
  fail(error: unknown): void {
    const reject = this.rejectWaiter;
    this.remaining = 0;
    this.resolveWaiter = undefined;
    this.rejectWaiter = undefined;
    reject?.(error);
  }
}

/** Returns elapsed milliseconds since `startedAt` (a `performance.now()` reading). */
export function since(startedAt: number): number {
  return performance.now() - startedAt;
}
