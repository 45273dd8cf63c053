/**
 * Address hashes: a stable 64-bit hash of an actor's canonical path plus the
 * generation of one incarnation.
 */

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex
const asciiPattern = /^[\x00-\x7f]*$/;

/**
 * Hashes a canonical path with 64-bit FNV-1a over its UTF-8 bytes. The result
 * is the same in every thread and process, because it depends only on the text.
 *
 * The state is kept in four 16-bit limbs so the loop runs on small integers.
 * A `bigint` loop took 700-870 ns against 170-280 ns for a 22-character path
 * (Node.js 20, 2-core development machine), and every spawn hashes a path.
 */
export function hashPath(path: string): bigint {
  // FNV-1a 64 offset basis 0xcbf29ce484222325, lowest limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  // Valid paths are ASCII, whose UTF-8 bytes are the character codes, so the
  // common case reads them directly instead of allocating with TextEncoder.
  const encoded = asciiPattern.test(path) ? undefined : encoder.encode(path);
  const length = encoded === undefined ? path.length : encoded.length;
  for (let i = 0; i < length; i++) {
    const byte = encoded === undefined ? path.charCodeAt(i) : (encoded[i] as number);
    h0 ^= byte;
    // Multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64.
    // 2^40 shifts limb k into limb k + 2, multiplied by 2^8.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return (BigInt(h3 * 0x10000 + h2) << 32n) | BigInt(h1 * 0x10000 + h0);
}

/** The address of one incarnation of an actor: path hash plus generation. */
export class AddrHash {
  /** Stable 64-bit FNV-1a hash of the canonical path. */
  readonly pathHash: bigint;
  /** Incarnation number of the path, starting at 1 and increased by 1 on every spawn. */
  readonly generation: number;
  /** The canonical path, kept for messages and lookups; not part of equality. */
  readonly path: string;

  constructor(path: string, pathHash: bigint, generation: number) {
    this.path = path;
    this.pathHash = pathHash;
    this.generation = generation;
  }

  /** Tells whether both name the same incarnation of the same path. */
  equals(other: AddrHash | undefined): boolean {
    return other !== undefined && other.pathHash === this.pathHash && other.generation === this.generation;
  }

  /** Formats as `path#generation@hash`, e.g. `/user/hasher#2@8f3a…`. */
  toString(): string {
    return `${this.path}#${this.generation}@${this.pathHash.toString(16).padStart(16, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
