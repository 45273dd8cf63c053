/**
 * Child-process entry: runs one scenario file and sends its result to the
 * parent over IPC. Every scenario gets a fresh process started with
 * `--expose-gc`, so one scenario's heap and JIT state never bleed into the
 * next and memory scenarios can force collections.
 *
 * Usage: node --expose-gc dist/bench/run-scenario.js FILE quick|full
 */

import { pathToFileURL } from 'node:url';
import { runScenario } from './harness/runner.js';
import type { Mode, Scenario, ScenarioResult } from './harness/types.js';

/** What the child sends to the parent. */
export type ChildMessage = { readonly kind: 'result'; readonly result: ScenarioResult } | { readonly kind: 'error'; readonly message: string };

function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Scenario>;
  return typeof candidate.id === 'string' && typeof candidate.title === 'string' && typeof candidate.cases === 'function';
}

async function main(): Promise<ChildMessage> {
  const [file, mode] = process.argv.slice(2);
  if (file === undefined || (mode !== 'quick' && mode !== 'full')) {
    return { kind: 'error', message: 'usage: run-scenario.js FILE quick|full' };
  }
  if (globalThis.gc === undefined) {
    return { kind: 'error', message: 'run-scenario.js needs --expose-gc' };
  }

  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!isScenario(module.default)) {
    return { kind: 'error', message: `${file} must default-export a Scenario (id, title, description, cases)` };
  }
  const scenario = module.default;
  process.stderr.write(`${scenario.title} [${scenario.id}]\n`);
  const result = await runScenario(scenario, mode satisfies Mode, (line) => process.stderr.write(`${line}\n`));
  return { kind: 'result', result };
}

const message = await main().catch(
  (error: unknown): ChildMessage => ({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
// Exit once the message is out, even if a peer library left a handle open.
process.send?.(message, () => process.exit(0));
if (process.send === undefined) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
  process.exit(message.kind === 'result' ? 0 : 1);
}
