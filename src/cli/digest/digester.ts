/**
 * The digest worker: an actor that reads one file by path and returns its
 * SHA-256 and gzip-compressed size. Workers read files themselves, so the
 * caller never copies file contents.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { defineActor } from '../../index.js';

/** The digest of one file. */
export interface FileDigest {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly gzipBytes: number;
}

/** A file that could not be read; returned as a value because it is not the worker's fault. */
export interface ReadFailure {
  readonly path: string;
  readonly error: string;
}

export type DigestOutcome = { readonly ok: true; readonly digest: FileDigest } | { readonly ok: false; readonly failure: ReadFailure };

/** Streams a file once through SHA-256 and gzip, counting input and compressed bytes. */
export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  let gzipBytes = 0;

  await pipeline(
    createReadStream(path),
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    }),
    createGzip(),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        gzipBytes += chunk.length;
        callback();
      },
    }),
  );
  return { path, bytes, sha256: hash.digest('hex'), gzipBytes };
}

/** Raised on purpose by `--crash-rate`, to show supervision at work. */
export class InjectedCrash extends Error {
  constructor(path: string) {
    super(`injected crash while digesting ${path}`);
    this.name = 'InjectedCrash';
  }
}

export const Digester = defineActor({
  name: 'digester',
  state: () => ({ digested: 0 }),
  handlers: {
    async digest(state, message: { path: string; crashRate: number }): Promise<DigestOutcome> {
      // Crash before any I/O, so an injected crash never leaves a half-read file behind.
      if (message.crashRate > 0 && Math.random() < message.crashRate) throw new InjectedCrash(message.path);
      try {
        const digest = await digestFile(message.path);
        state.digested++;
        return { ok: true, digest };
      } catch (error) {
        return { ok: false, failure: { path: message.path, error: describeError(error) } };
      }
    },
  },
});

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
