/** The facts about the machine and the packages that a result depends on. */

import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { MachineInfo } from './types.js';

export function describeMachine(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Peer libraries the scenarios load, in the order reports list them. */
const peers = ['xstate', 'nact', 'effect', 'piscina', 'tinypool', 'workerpool'] as const;

// This file runs from dist/bench/harness/, three levels below the package root.
const packageRoot = new URL('../../../', import.meta.url);

function readVersion(manifest: URL): string {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** Returns the version of rhodium and of each installed peer, by package name. */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { rhodium: readVersion(new URL('package.json', packageRoot)) };
  for (const name of peers) versions[name] = readVersion(new URL(`node_modules/${name}/package.json`, packageRoot));
  return versions;
}
