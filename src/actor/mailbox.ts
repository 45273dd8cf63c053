/**
 * A bounded FIFO queue on a ring buffer: O(1) `push` and `shift`.
 *
 * The buffer starts small and doubles up to the capacity, so an idle actor
 * with a large capacity costs a few words, not `capacity` slots.
 */
export class Mailbox<T> {
  /** Maximum number of items; `push` fails beyond it. */
  readonly capacity: number;
  private buffer: (T | undefined)[];
  private mask: number;
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`mailboxCapacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    // No ring until the first push: an idle actor's mailbox owns no array.
    this.buffer = [];
    this.mask = 0;
  }

  /** Number of queued items. */
  get size(): number {
    return this.count;
  }

  /** Appends an item; returns false, changing nothing, when the mailbox is full. */
  push(item: T): boolean {
    if (this.count >= this.capacity) return false;
    if (this.count === this.buffer.length) this.grow();
    this.buffer[(this.head + this.count) & this.mask] = item;
    this.count++;
    return true;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.buffer[this.head];
    this.buffer[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  /** Removes every item and returns them oldest first. */
  drain(): T[] {
    const items: T[] = [];
    // Counting, not testing for `undefined`, so a queued `undefined` item does not end the drain early.
    while (this.count > 0) items.push(this.shift() as T);
    return items;
  }

  /** Doubles the ring, copying items to the front of the new one in FIFO order. */
  private grow(): void {
    const length = Math.max(initialLength, this.buffer.length * 2);
    const next = new Array<T | undefined>(length);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) & this.mask];
    this.buffer = next;
    this.mask = length - 1;
    this.head = 0;
  }
}

// A power of two, so the index wraps with a mask instead of a modulo.
const initialLength = 4;
