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

/** A file identity (device and inode) the walk leaves out, such as the run's own manifest. */
export interface FileIdentity {
  readonly device: number;
  readonly inode: number;
}

export interface WalkResult {
  readonly files: WalkedFile[];
  readonly problems: WalkProblem[];
}

interface WalkState {
  readonly result: WalkResult;
  /** Directories on the path from the root to the current one, as `device:inode`. */
  readonly ancestors: Set<string>;
  readonly exclude: FileIdentity | undefined;
}

/**
 * Walks `root` depth first and returns the files in a stable order
 * (sorted by name within each directory), leaving out `exclude`.
 * @throws the `stat` or `opendir` error of `root` itself, so the caller can exit with a usage error.
 */
export async function walk(root: string, exclude?: FileIdentity): Promise<WalkResult> {
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) {
    throw Object.assign(new Error(`not a directory: ${root}`), { code: 'ENOTDIR' });
  }

  const state: WalkState = {
    result: { files: [], problems: [] },
    ancestors: new Set([`${rootStat.dev}:${rootStat.ino}`]),
    exclude,
  };
  await walkDirectory(root, state, true);
  return state.result;
}

async function walkDirectory(directory: string, state: WalkState, isRoot: boolean): Promise<void> {
  let names: string[];
  try {
    const handle = await opendir(directory);
    names = [];
    for await (const entry of handle) names.push(entry.name);
  } catch (error) {
    if (isRoot) throw error;
    state.result.problems.push({ path: directory, kind: 'unreadable', detail: errorText(error) });
    return;
  }
  names.sort();

  for (const name of names) await visit(join(directory, name), state);
}

async function visit(path: string, state: WalkState): Promise<void> {
  let info;
  try {
    const link = await lstat(path);
    info = link.isSymbolicLink() ? await stat(path) : link;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const kind = code === 'ENOENT' || code === 'ELOOP' ? 'broken-symlink' : 'unreadable';
    state.result.problems.push({ path, kind, detail: errorText(error) });
    return;
  }

  if (info.isFile()) {
    const excluded = state.exclude !== undefined && info.dev === state.exclude.device && info.ino === state.exclude.inode;
    if (!excluded) state.result.files.push({ path, bytes: info.size });
    return;
  }
  if (!info.isDirectory()) return;

  const key = `${info.dev}:${info.ino}`;
  if (state.ancestors.has(key)) {
    state.result.problems.push({ path, kind: 'symlink-loop', detail: 'links to one of its own parent directories; not followed' });
    return;
  }
  state.ancestors.add(key);
  await walkDirectory(path, state, false);
  state.ancestors.delete(key);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
