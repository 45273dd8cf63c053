/**
 * `npm run bench`: runs every scenario under bench/scenarios/ against
 * rhodium, the peer libraries and a bare baseline, prints one table per
 * case with medians and ratios, then the verdict on each target.
 *
 * Each scenario runs in its own child process (see run-scenario.ts).
 * Scenario files are found by listing the compiled folder, so a new scenario
 * is one new file; files run in name order, hence the numeric prefixes.
 */

import { fork } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, packageVersions } from './harness/machine.js';
import { formatScenario, formatTargets } from './harness/table.js';
import type { BenchReport, Mode, ScenarioResult } from './harness/types.js';
import type { ChildMessage } from './run-scenario.js';

const usage = `Usage: npm run bench -- [--quick] [--only ID[,ID...]] [--json FILE]

  --quick        short runs (under a minute in all) that prove the suite works; the numbers are rough
  --only IDS     run only the scenarios with these ids, such as tell-throughput,ask-round-trip
  --json FILE    also write every sample, the machine and the package versions to FILE
  --help         print this text
`;

/** Longest a scenario's process may run before it is killed and reported failed, in milliseconds. */
const scenarioTimeoutMs: Record<Mode, number> = { quick: 60_000, full: 900_000 };

const scenarioDirectory = fileURLToPath(new URL('./scenarios/', import.meta.url));
const childEntry = fileURLToPath(new URL('./run-scenario.js', import.meta.url));

/** Lists scenario files by name with the id each must declare: `10-tell-throughput.js` declares `tell-throughput`. */
function listScenarioFiles(): { file: string; id: string }[] {
  return readdirSync(scenarioDirectory)
    .filter((name) => /^\d+-[a-z0-9-]+\.js$/.test(name))
    .sort()
    .map((name) => ({ file: `${scenarioDirectory}${name}`, id: name.replace(/^\d+-/, '').replace(/\.js$/, '') }));
}

function runChild(file: string, mode: Mode): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const child = fork(childEntry, [file, mode], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    // Anything a library prints goes to stderr, so stdout carries only the report.
    child.stdout?.pipe(process.stderr);

    let message: ChildMessage | undefined;
    const timer = setTimeout(() => {
      message ??= { kind: 'error', message: `timed out after ${scenarioTimeoutMs[mode]} ms` };
      child.kill('SIGKILL');
    }, scenarioTimeoutMs[mode]);
    child.on('message', (received) => {
      message ??= received as ChildMessage;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(message ?? { kind: 'error', message: `exited with ${signal ?? `code ${String(code)}`} before sending a result` });
    });
  });
}

async function main(): Promise<number> {
  let values: { quick: boolean; only?: string | undefined; json?: string | undefined; help: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }

  const mode: Mode = values.quick ? 'quick' : 'full';
  const only = values.only?.split(',').map((id) => id.trim());
  const files = listScenarioFiles().filter((entry) => only === undefined || only.includes(entry.id));
  const unknown = only?.filter((id) => !files.some((entry) => entry.id === id)) ?? [];
  if (unknown.length > 0 || files.length === 0) {
    const known = listScenarioFiles().map((entry) => entry.id).join(', ');
    process.stderr.write(`No scenario with id ${unknown.join(', ') || '(none given)'}; known ids: ${known}\n`);
    return 2;
  }

  const machine = describeMachine();
  const versions = packageVersions();
  const startedAt = new Date();
  process.stdout.write(`# rhodium benchmarks (${mode} mode)\n\n`);
  process.stdout.write(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node.js ${machine.node}, ${machine.os}\n`);
  process.stdout.write(`${Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ')}\n\n`);

  const results: ScenarioResult[] = [];
  let failures = 0;
  for (const { file, id } of files) {
    const message = await runChild(file, mode);
    if (message.kind === 'error') {
      failures++;
      process.stdout.write(`## ${id}\n\nFAILED: ${message.message}\n\n`);
      continue;
    }
    if (message.result.id !== id) {
      failures++;
      process.stdout.write(`## ${id}\n\nFAILED: ${file} declares id '${message.result.id}'; rename the file or the id\n\n`);
      continue;
    }
    process.stderr.write(`  (${id} took ${(message.result.durationMs / 1000).toFixed(1)} s)\n`);
    results.push(message.result);
    failures += message.result.cases.flatMap((c) => c.systems).filter((s) => s.status === 'failed').length;
    process.stdout.write(`${formatScenario(message.result)}\n`);
  }
  process.stdout.write(`${formatTargets(results)}\n`);

  if (values.json !== undefined) {
    const report: BenchReport = {
      mode,
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      machine,
      versions,
      scenarios: results,
    };
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`Wrote ${values.json}\n`);
  }
  if (failures > 0) process.stderr.write(`${failures} scenario(s) or system(s) failed; see FAILED above\n`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
