/**
 * The digest job: walks a directory, sends every file path to a supervised
 * pool of digest workers, and survives worker crashes without losing a file.
 *
 * Delivery is at-least-once by application-level acknowledgement: the reply
 * to `ask` is the acknowledgement, and any failure that means "this worker
 * did not finish" (Unroutable, MailboxFull, NoResponse, HandlerFailed,
 * Timeout) is retried on the next worker in rotation. Digesting a file is
 * idempotent, so a retry can never corrupt the manifest.
 */

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { actorModule, AskError, Engine, type EngineHandle } from '../../index.js';
import { digestFile, type Digester, type DigestOutcome, type FileDigest, type ReadFailure } from './digester.js';
import { createProgressView, type ProgressState, type WorkerRow } from './progress.js';
import { walk, type WalkProblem } from './walk.js';

export interface DigestOptions {
  readonly directory: string;
  /** Worker threads; 0 runs the workers on the main thread. */
  readonly threads: number;
  readonly workers: number;
  readonly crashRate: number;
  readonly out: string | undefined;
  readonly verify: boolean;
  readonly json: boolean;
}

export interface DigestSummary {
  readonly directory: string;
  readonly threads: number;
  readonly workers: number;
  readonly interrupted: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly megabytesPerSecond: number;
  readonly restarts: number;
  readonly retries: number;
  readonly deadLetters: number;
  readonly unreadable: readonly ReadFailure[];
  readonly skipped: readonly WalkProblem[];
  readonly verification: { readonly checked: number; readonly mismatches: readonly string[] } | undefined;
}

/** How many times one file is tried before it is reported as failed. */
const maxAttemptsPerFile = 100;
/** Files in flight per worker, so each worker's next file is already queued when it finishes one. */
const inFlightPerWorker = 2;

/**
 * Runs the job and returns its summary. `signal` interrupts it (Ctrl-C):
 * files in flight are abandoned, the engine shuts down cleanly, and the
 * summary reports what was done.
 */
export async function runDigest(options: DigestOptions, signal: AbortSignal): Promise<DigestSummary> {
  const walked = await walk(options.directory);
  const files = walked.files;
  const bytesTotal = files.reduce((sum, file) => sum + file.bytes, 0);

  // Crashes are injected on purpose here, so the budget is far above the default of 3 in 5 s.
  const supervision = { intensity: { maxRestarts: 10_000, windowMs: 1000 } };
  const engine = await Engine.start(options.threads > 0 ? { threads: options.threads, supervision } : { supervision });
  // The same definition runs on the main thread or spread over the threads; only the placement differs.
  const digester = actorModule<typeof Digester>(new URL('./digester.js', import.meta.url), 'Digester');
  const pool = engine.spawnWorkerPool(digester, {
    size: options.workers,
    namePrefix: 'digester',
    placement: options.threads > 0 ? 'spread' : 'local',
  });
  await pool.ready();

  const startedAt = performance.now();
  const digests: FileDigest[] = [];
  const unreadable: ReadFailure[] = [];
  let bytesDone = 0;
  let retries = 0;
  const manifest = options.out === undefined ? undefined : createWriteStream(options.out);

  const view = options.json ? undefined : createProgressView(process.stderr);
  view?.start(
    (): ProgressState => ({
      filesDone: digests.length + unreadable.length,
      filesTotal: files.length,
      bytesDone,
      bytesTotal,
      restarts: totalRestarts(engine),
      retries,
      elapsedMs: performance.now() - startedAt,
      workers: workerRows(engine, pool.size),
    }),
  );

  // A fixed set of runners share one queue of paths, so at most `workers * inFlightPerWorker` asks are in flight.
  let next = 0;
  const runner = async (): Promise<void> => {
    while (!signal.aborted && next < files.length) {
      const file = files[next++];
      if (file === undefined) break;
      const outcome = await askWithRetry(file.path);
      if (outcome === undefined) return;
      if (outcome.ok) {
        digests.push(outcome.digest);
        bytesDone += outcome.digest.bytes;
        await writeLine(manifest, outcome.digest);
      } else {
        unreadable.push(outcome.failure);
      }
    }
  };

  const askWithRetry = async (path: string): Promise<DigestOutcome | undefined> => {
    for (let attempt = 1; attempt <= maxAttemptsPerFile; attempt++) {
      if (signal.aborted) return undefined;
      try {
        return await pool.ask({ type: 'digest', path, crashRate: options.crashRate }, { signal });
      } catch (error) {
        if (!(error instanceof AskError) || error.kind === 'Aborted' || signal.aborted) return undefined;
        retries++;
        // Back off a little when the whole pool is busy restarting, instead of spinning.
        if (error.kind === 'Send') await sleep(Math.min(50, attempt));
      }
    }
    return { ok: false, failure: { path, error: `gave up after ${maxAttemptsPerFile} attempts` } };
  };

  await Promise.all(Array.from({ length: options.workers * inFlightPerWorker }, runner));
  const durationMs = performance.now() - startedAt;
  view?.stop();

  const restarts = totalRestarts(engine);
  const deadLetters = engine.snapshot().deadLetters;
  await engine.shutdown();
  if (manifest !== undefined) {
    manifest.end();
    await once(manifest, 'close');
  }

  const verification = options.verify && !signal.aborted ? await verify(digests) : undefined;
  const bytes = digests.reduce((sum, digest) => sum + digest.bytes, 0);
  return {
    directory: options.directory,
    threads: options.threads,
    workers: options.workers,
    interrupted: signal.aborted,
    files: digests.length,
    bytes,
    durationMs,
    megabytesPerSecond: durationMs > 0 ? bytes / 1e6 / (durationMs / 1000) : 0,
    restarts,
    retries,
    deadLetters,
    unreadable,
    skipped: walked.problems,
    verification,
  };
}

/** Recomputes every digest on the main thread and lists the paths whose result differs. */
async function verify(digests: readonly FileDigest[]): Promise<DigestSummary['verification']> {
  const mismatches: string[] = [];
  for (const expected of digests) {
    const actual = await digestFile(expected.path).catch(() => undefined);
    if (actual?.sha256 !== expected.sha256 || actual.gzipBytes !== expected.gzipBytes || actual.bytes !== expected.bytes) {
      mismatches.push(expected.path);
    }
  }
  return { checked: digests.length, mismatches };
}

async function writeLine(stream: WriteStream | undefined, digest: FileDigest): Promise<void> {
  if (stream === undefined) return;
  const line = `${JSON.stringify({ path: digest.path, bytes: digest.bytes, sha256: digest.sha256, gzipBytes: digest.gzipBytes })}\n`;
  if (!stream.write(line)) await once(stream, 'drain');
}

function workerRows(engine: EngineHandle, size: number): WorkerRow[] {
  const actors = new Map(engine.snapshot().actors.map((actor) => [actor.path, actor]));
  return Array.from({ length: size }, (_, slot) => {
    const actor = actors.get(`/user/digester-${slot}`);
    return {
      slot,
      generation: actor?.generation,
      handled: actor?.messagesHandled ?? 0,
      restarts: actor?.restarts ?? 0,
    };
  });
}

function totalRestarts(engine: EngineHandle): number {
  return engine.snapshot().actors.reduce((sum, actor) => sum + actor.restarts, 0);
}
