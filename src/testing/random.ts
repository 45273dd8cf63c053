/**
 * The seeded generator behind every simulation decision.
 *
 * xoshiro128** 1.0 (David Blackman and Sebastiano Vigna, 2018), written
 * here in 32-bit integer arithmetic. Its 128-bit state is filled
 * from the seed with SplitMix64 (Guy Steele, Doug Lea and Christine Flood,
 * 2014), as the xoshiro authors recommend, so nearby seeds give unrelated
 * streams.
 */

const mask64 = (1n << 64n) - 1n;

/**
 * Returns the SplitMix64 output sequence that starts from `seed`, for
 * seeding. Each call of the returned function advances the state and
 * returns the next 64-bit output.
 */
export function splitMix64(seed: bigint): () => bigint {
  let state = seed & mask64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask64;
    return z ^ (z >> 31n);
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A deterministic stream of random numbers; the same seed gives the same stream on every platform. */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed a safe integer >= 0, or a bigint below 2^64. */
  constructor(seed: number | bigint) {
    const next = splitMix64(BigInt(seed));
    const first = next();
    const second = next();
    this.s0 = Number(first & 0xffffffffn);
    this.s1 = Number(first >> 32n);
    this.s2 = Number(second & 0xffffffffn);
    this.s3 = Number(second >> 32n);
    // SplitMix64 outputs every 64-bit value once per period, so two of them are never both zero.
  }

  /** Returns the next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;

    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Returns a number in [0, 1) with 53 random bits, like `Math.random`. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }

  /**
   * Returns an integer in [0, bound), without modulo bias.
   * @throws RangeError unless `bound` is an integer from 1 to 2^32.
   */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 0x1_0000_0000) {
      throw new RangeError(`bound must be an integer from 1 to 2^32, got ${String(bound)}`);
    }
    // Reject the top partial range of 2^32 so every result is equally likely.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % bound;
    }
  }

  /** Returns true with probability `probability`. */
  chance(probability: number): boolean {
    return this.nextFloat() < probability;
  }

  /** Returns one element of a non-empty array, chosen uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick needs a non-empty array');
    return items[this.nextInt(items.length)] as T;
  }

  /** Returns a new generator seeded from this one, so separate consumers draw from separate streams. */
  fork(): SeededRandom {
    const high = BigInt(this.nextUint32());
    const low = BigInt(this.nextUint32());
    return new SeededRandom((high << 32n) | low);
  }
}
