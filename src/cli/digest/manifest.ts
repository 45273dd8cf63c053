/**
 * The JSON Lines manifest of a digest run: one line per file.
 */

import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import type { FileDigest } from './digester.js';

/** An open manifest and the identity of its file, so the walk can leave it out. */
export interface Manifest {
  readonly path: string;
  readonly device: number;
  readonly inode: number;
  write(digest: FileDigest): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates (or truncates) the manifest file before any work starts, so an
 * unwritable path is reported at once instead of after the walk.
 * @throws the `open` error, whose `code` names the cause (ENOENT, EACCES, EISDIR).
 */
export async function openManifest(path: string): Promise<Manifest> {
  const handle: FileHandle = await open(path, 'w');
  const info = await handle.stat();
  const stream: WriteStream = handle.createWriteStream();
  return {
    path,
    device: info.dev,
    inode: info.ino,
    async write(digest) {
      const line = { path: digest.path, bytes: digest.bytes, sha256: digest.sha256, gzipBytes: digest.gzipBytes };
      if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'close');
    },
  };
}
