#!/usr/bin/env node
/**
 * The `rhodium` command.
 */

import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runDigest } from './digest/run.js';
import { exitCodeOf, formatSummary } from './digest/summary.js';

/** Exit code for bad input: a missing directory or an invalid option. */
const usageExitCode = 2;

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return count;
}

function parseProbability(value: string): number {
  const probability = Number(value);
  if (value.trim() === '' || !Number.isFinite(probability) || probability < 0 || probability >= 1) {
    throw new InvalidArgumentError('expected a probability from 0 up to (not including) 1, such as 0.01.');
  }
  return probability;
}

function parseThreads(value: string): number {
  if (value === 'auto') return availableParallelism();
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) throw new InvalidArgumentError("expected 'auto' or a whole number of 0 or more.");
  return count;
}

interface DigestFlags {
  readonly threads: number;
  readonly workers?: number;
  readonly crashRate: number;
  readonly out?: string;
  readonly verify?: boolean;
  readonly json?: boolean;
}

const program = new Command('rhodium')
  .description('Commands of the rhodium actor runtime.')
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => {
      write(text);
    },
  });

program
  .command('digest')
  .description('Compute the SHA-256 and gzip-compressed size of every regular file under a directory, using a supervised pool of actors.')
  .argument('<directory>', 'directory to walk; symbolic links are followed, loops are not')
  .addOption(
    new Option('--threads <count>', "worker threads for the pool: a count, 'auto' for one per core, or 0 to run the workers on the main thread")
      .argParser(parseThreads)
      .default(availableParallelism(), "'auto'"),
  )
  .option('--workers <count>', 'number of digest workers, spread over the threads (default: 2 per thread, or 2 with --threads 0)', parseCount)
  .option('--crash-rate <probability>', 'probability from 0 to 1 that a worker crashes on a message, to show supervision', parseProbability, 0)
  .option('--out <file>', 'write a JSON Lines manifest (path, bytes, sha256, gzipBytes) to this file')
  .option('--verify', 'recompute every digest on the main thread afterwards and compare', false)
  .option('--json', 'print a machine-readable JSON summary instead of the live view and text summary', false)
  .action(async (directory: string, flags: DigestFlags) => {
    const controller = new AbortController();
    process.once('SIGINT', () => {
      controller.abort();
      // A second Ctrl-C leaves at once.
      process.once('SIGINT', () => {
        process.exit(130);
      });
    });

    let summary;
    try {
      summary = await runDigest(
        {
          directory,
          threads: flags.threads,
          // Two workers per thread, so one reads a file while the other computes.
          workers: flags.workers ?? 2 * Math.max(1, flags.threads),
          crashRate: flags.crashRate,
          out: flags.out,
          verify: flags.verify === true,
          json: flags.json === true,
        },
        controller.signal,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') {
        process.stderr.write(`rhodium digest: cannot read directory ${directory}: ${code}\n`);
        process.exitCode = usageExitCode;
        return;
      }
      throw error;
    }

    process.stdout.write(`${flags.json === true ? JSON.stringify(summary) : formatSummary(summary)}\n`);
    process.exitCode = exitCodeOf(summary);
  });

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Help and version exit 0; every parse error is bad input.
  process.exitCode = error.exitCode === 0 ? 0 : usageExitCode;
}
