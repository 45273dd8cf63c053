/**
 * Actor paths: `/user/pool/worker-0`. A path starts with `/`, has no trailing
 * `/`, and each segment is non-empty and uses only `[A-Za-z0-9_.:-]`.
 */

const segmentPattern = /^[A-Za-z0-9_.:-]+$/;

/** Names the roots under which every actor lives. */
export const rootNames = ['user', 'system'] as const;

/** Throws a `TypeError` naming the segment unless it is a valid path segment. */
export function assertValidSegment(segment: unknown, what = 'path segment'): asserts segment is string {
  if (typeof segment !== 'string') {
    throw new TypeError(`${what} must be a string, got ${typeof segment}`);
  }
  if (!segmentPattern.test(segment)) {
    throw new TypeError(
      `invalid ${what} ${JSON.stringify(segment)}: use one or more of the characters A-Z a-z 0-9 _ . : -`,
    );
  }
}

/** An immutable, validated actor path. */
export class ActorPath {
  readonly #text: string;
  /** Split from `#text` on first use: most paths are only compared and printed. */
  #segments: readonly string[] | undefined;

  /** `text` must already be a valid path. */
  private constructor(text: string) {
    this.#text = text;
  }

  /** The segments after the leading `/`, e.g. `['user', 'hasher']`. Frozen. */
  get segments(): readonly string[] {
    this.#segments ??= Object.freeze(this.#text.slice(1).split('/'));
    return this.#segments;
  }

  /**
   * Parses and validates a path string.
   * @throws TypeError naming the input when it is not a valid path.
   */
  static parse(text: string): ActorPath {
    if (typeof text !== 'string') {
      throw new TypeError(`actor path must be a string, got ${typeof text}`);
    }
    if (!text.startsWith('/')) {
      throw new TypeError(`invalid actor path ${JSON.stringify(text)}: it must start with '/', as in '/user/worker'`);
    }
    if (text.length > 1 && text.endsWith('/')) {
      throw new TypeError(`invalid actor path ${JSON.stringify(text)}: remove the trailing '/'`);
    }
    const segments = text.slice(1).split('/');
    for (const segment of segments) {
      if (segment === '') {
        throw new TypeError(`invalid actor path ${JSON.stringify(text)}: it contains an empty segment`);
      }
      assertValidSegment(segment, `segment of actor path ${JSON.stringify(text)}:`);
    }
    return new ActorPath(text);
  }

  /** Returns the root path `/user` or `/system`. */
  static root(name: (typeof rootNames)[number]): ActorPath {
    return new ActorPath(`/${name}`);
  }

  /** The last segment. */
  get name(): string {
    return this.segments[this.segments.length - 1] ?? '';
  }

  /** Returns the path of a child named `name`. @throws TypeError for an invalid name. */
  child(name: string): ActorPath {
    assertValidSegment(name, 'actor name');
    return new ActorPath(`${this.#text}/${name}`);
  }

  /** Returns the parent path, or `undefined` for a root. */
  parent(): ActorPath | undefined {
    const cut = this.#text.lastIndexOf('/');
    if (cut <= 0) return undefined;
    return new ActorPath(this.#text.slice(0, cut));
  }

  /** Tells whether this path is a strict ancestor of `other`. */
  isAncestorOf(other: ActorPath): boolean {
    if (other.segments.length <= this.segments.length) return false;
    return this.segments.every((segment, i) => other.segments[i] === segment);
  }

  equals(other: ActorPath): boolean {
    return this.#text === other.#text;
  }

  toString(): string {
    return this.#text;
  }

  toJSON(): string {
    return this.#text;
  }
}
