#!/usr/bin/env node
/**
 * The `rhodium` command.
 */

import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DigestInputError, runDigest } from './digest/run.js';
import { exitCodeOf, formatSummary } from './digest/summary.js';

/** Exit code for bad input: a missing directory or an invalid option. */
const usageExitCode = 2;

/** The most worker threads or workers one run may ask for; more only adds memory and start-up time. */
const maxThreads = 64;
const maxWorkers = 1024;

/** Parses a plain decimal count, rejecting forms such as `1e1` or `0x10` that `Number` would accept. */
function parseWholeNumber(value: string, min: number, max: number): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < min || count > max) {
    throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
  }
  return count;
}

function parseCount(value: string): number {
  return parseWholeNumber(value, 1, maxWorkers);
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
  try {
    return parseWholeNumber(value, 0, maxThreads);
  } catch {
    throw new InvalidArgumentError(`expected 'auto' or a whole number from 0 to ${maxThreads}.`);
  }
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
  .description(
    'Compute the SHA-256 and gzip-compressed size (Node.js zlib, default level, no file name in the header) of every ' +
      'regular file under a directory, using a supervised pool of actors on worker threads. Exit codes: 0 done, ' +
      '1 a verification mismatch or a file that failed every retry, 2 bad input, 130 interrupted.',
  )
  .argument('<directory>', 'directory to walk; symbolic links are followed, loops are not')
  .addOption(
    new Option('--threads <count>', "worker threads for the pool: a count, 'auto' for one per core, or 0 to run the workers on the main thread")
      .argParser(parseThreads)
      .default(availableParallelism(), "'auto'"),
  )
  .option('--workers <count>', 'number of digest workers, spread over the threads (default: 2 per thread, or 2 with --threads 0)', parseCount)
  .option('--crash-rate <probability>', 'probability from 0 to 1 that a worker crashes on a message, to show supervision', parseProbability, 0)
  .option('--out <file>', 'write a JSON Lines manifest (path, bytes, sha256, gzipBytes) to this file; it is left out of the walk')
  .option('--verify', 'recompute every digest on the main thread afterwards and compare', false)
  .option('--json', 'print a machine-readable JSON summary instead of the live view and text summary', false)
  .action(async (directory: string, flags: DigestFlags) => {
    const controller = new AbortController();
    process.once('SIGINT', () => {
      controller.abort();
      // A second Ctrl-C leaves at once.
      process.once('SIGINT', () => {
        process.stderr.write('rhodium digest: interrupted again; exiting without a summary\n');
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
      if (!(error instanceof DigestInputError)) throw error;
      process.stderr.write(`rhodium digest: ${error.message}\n`);
      process.exitCode = usageExitCode;
      return;
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
