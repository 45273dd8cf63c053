/**
 * Lists the regular files under a directory. Symbolic links are followed
 * to files and directories, except a link to a directory that is one of its
 * own ancestors (compared by device and inode), so symlink loops end.
 * Broken links and unreadable entries are reported, never fatal.
 */

import { lstat, opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface WalkedFile {
  readonly path: string;
  readonly bytes: number;
}

/** An entry that was skipped, and why. */
export interface WalkProblem {
  readonly path: string;
  readonly kind: 'broken-symlink' | 'symlink-loop' | 'unreadable';
  readonly detail: string;
}

export interface WalkResult {
  readonly files: WalkedFile[];
  readonly problems: WalkProblem[];
}

/**
 * Walks `root` depth first and returns the files in a stable order
 * (sorted by name within each directory).
 * @throws the `stat` or `opendir` error of `root` itself, so the caller can exit with a usage error.
 */
export async function walk(root: string): Promise<WalkResult> {
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) {
    throw Object.assign(new Error(`not a directory: ${root}`), { code: 'ENOTDIR' });
  }

  const result: WalkResult = { files: [], problems: [] };
  const ancestors = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);
  await walkDirectory(root, ancestors, result, true);
  return result;
}

async function walkDirectory(directory: string, ancestors: Set<string>, result: WalkResult, isRoot: boolean): Promise<void> {
  let names: string[];
  try {
    const handle = await opendir(directory);
    names = [];
    for await (const entry of handle) names.push(entry.name);
  } catch (error) {
    if (isRoot) throw error;
    result.problems.push({ path: directory, kind: 'unreadable', detail: errorText(error) });
    return;
  }
  names.sort();

  for (const name of names) {
    const path = join(directory, name);
    await visit(path, ancestors, result);
  }
}

async function visit(path: string, ancestors: Set<string>, result: WalkResult): Promise<void> {
  let info;
  try {
    const link = await lstat(path);
    info = link.isSymbolicLink() ? await stat(path) : link;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const kind = code === 'ENOENT' || code === 'ELOOP' ? 'broken-symlink' : 'unreadable';
    result.problems.push({ path, kind, detail: errorText(error) });
    return;
  }

  if (info.isFile()) {
    result.files.push({ path, bytes: info.size });
    return;
  }
  if (!info.isDirectory()) return;

  const key = `${info.dev}:${info.ino}`;
  if (ancestors.has(key)) {
    result.problems.push({ path, kind: 'symlink-loop', detail: 'links to one of its own parent directories; not followed' });
    return;
  }
  ancestors.add(key);
  await walkDirectory(path, ancestors, result, false);
  ancestors.delete(key);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
