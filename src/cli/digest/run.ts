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

import { setTimeout as sleep } from 'node:timers/promises';
import { actorModule, AskError, Engine, type EngineHandle, type WorkerPool } from '../../index.js';
import { digestFile, type Digester, type DigestOutcome, type FileDigest, type ReadFailure } from './digester.js';
import { openManifest, type Manifest } from './manifest.js';
import { createProgressView, type ProgressState, type WorkerRow } from './progress.js';
import { walk, type WalkProblem, type WalkResult } from './walk.js';

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

/** The outcome of `--verify`. */
export interface Verification {
  readonly checked: number;
  readonly total: number;
  readonly mismatches: readonly string[];
  readonly interrupted: boolean;
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
  /** Files the workers could not read (a read error, returned as a value). */
  readonly unreadable: readonly ReadFailure[];
  /** Files still unfinished after `maxAttemptsPerFile` attempts. */
  readonly failed: readonly ReadFailure[];
  /** Entries the walk skipped: broken links, loops, unreadable directories. */
  readonly skipped: readonly WalkProblem[];
  readonly verification: Verification | undefined;
}

/** Bad input the command reports in one line with exit code 2. */
export class DigestInputError extends Error {
  override readonly name = 'DigestInputError';
}

/** How many times one file is tried before it is reported as failed. */
const maxAttemptsPerFile = 100;
/** Files in flight per worker, so each worker's next file is already queued when it finishes one. */
const inFlightPerWorker = 2;

/**
 * Runs the job and returns its summary. `signal` interrupts it (Ctrl-C):
 * files in flight are abandoned, the engine shuts down cleanly, and the
 * summary reports what was done.
 * @throws DigestInputError when the directory cannot be read or the manifest cannot be written.
 */
export async function runDigest(options: DigestOptions, signal: AbortSignal): Promise<DigestSummary> {
  const manifest = options.out === undefined ? undefined : await openManifestOrReport(options.out);
  const walked = await walkOrReport(options.directory, manifest);

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

  const job = new DigestJob(engine, pool, options, walked, manifest, signal);
  await job.run();

  const deadLetters = engine.snapshot().deadLetters;
  const restarts = totalRestarts(engine);
  await engine.shutdown();
  await manifest?.close();

  const verification = options.verify && !signal.aborted ? await verify(job.digests, signal) : undefined;
  const bytes = job.digests.reduce((sum, digest) => sum + digest.bytes, 0);
  return {
    directory: options.directory,
    threads: options.threads,
    workers: options.workers,
    interrupted: signal.aborted,
    files: job.digests.length,
    bytes,
    durationMs: job.durationMs,
    megabytesPerSecond: job.durationMs > 0 ? bytes / 1e6 / (job.durationMs / 1000) : 0,
    restarts,
    retries: job.retries,
    deadLetters,
    unreadable: job.unreadable,
    failed: job.failed,
    skipped: walked.problems,
    verification,
  };
}

/** The files of one run, handed out to a fixed set of runners that ask the pool. */
class DigestJob {
  readonly digests: FileDigest[] = [];
  readonly unreadable: ReadFailure[] = [];
  readonly failed: ReadFailure[] = [];
  retries = 0;
  durationMs = 0;
  private next = 0;
  private bytesDone = 0;

  constructor(
    private readonly engine: EngineHandle,
    private readonly pool: WorkerPool<typeof Digester>,
    private readonly options: DigestOptions,
    private readonly walked: WalkResult,
    private readonly manifest: Manifest | undefined,
    private readonly signal: AbortSignal,
  ) {}

  /** Digests every file, showing progress, until done or interrupted. */
  async run(): Promise<void> {
    const startedAt = performance.now();
    const bytesTotal = this.walked.files.reduce((sum, file) => sum + file.bytes, 0);
    const view = this.options.json ? undefined : createProgressView(process.stderr);
    view?.start(
      (): ProgressState => ({
        filesDone: this.digests.length + this.unreadable.length + this.failed.length,
        filesTotal: this.walked.files.length,
        bytesDone: this.bytesDone,
        bytesTotal,
        restarts: totalRestarts(this.engine),
        retries: this.retries,
        elapsedMs: performance.now() - startedAt,
        workers: workerRows(this.engine, this.pool.size),
      }),
    );

    // At most `workers * inFlightPerWorker` asks are in flight, one per runner.
    const runners = Array.from({ length: this.options.workers * inFlightPerWorker }, () => this.runner());
    await Promise.all(runners);
    this.durationMs = performance.now() - startedAt;
    view?.stop();
  }

  private async runner(): Promise<void> {
    const files = this.walked.files;
    while (!this.signal.aborted && this.next < files.length) {
      const file = files[this.next++];
      if (file === undefined) break;
      const outcome = await this.askWithRetry(file.path);
      if (outcome === undefined) return;
      if (outcome === 'gave-up') {
        this.failed.push({ path: file.path, error: `no worker finished it in ${maxAttemptsPerFile} attempts` });
      } else if (outcome.ok) {
        this.digests.push(outcome.digest);
        this.bytesDone += outcome.digest.bytes;
        await this.manifest?.write(outcome.digest);
      } else {
        this.unreadable.push(outcome.failure);
      }
    }
  }

  /** Asks until a worker answers; `undefined` when interrupted. */
  private async askWithRetry(path: string): Promise<DigestOutcome | 'gave-up' | undefined> {
    for (let attempt = 1; attempt <= maxAttemptsPerFile; attempt++) {
      if (this.signal.aborted) return undefined;
      try {
        return await this.pool.ask({ type: 'digest', path, crashRate: this.options.crashRate }, { signal: this.signal });
      } catch (error) {
        if (!(error instanceof AskError) || error.kind === 'Aborted' || this.signal.aborted) return undefined;
        this.retries++;
        // Back off a little when the whole pool is busy restarting, instead of spinning.
        if (error.kind === 'Send') await sleep(Math.min(50, attempt));
      }
    }
    return 'gave-up';
  }
}

async function openManifestOrReport(path: string): Promise<Manifest> {
  try {
    return await openManifest(path);
  } catch (error) {
    throw new DigestInputError(`cannot write manifest ${path}: ${describeFsError(error)}`);
  }
}

async function walkOrReport(directory: string, manifest: Manifest | undefined): Promise<WalkResult> {
  try {
    return await walk(directory, manifest === undefined ? undefined : { device: manifest.device, inode: manifest.inode });
  } catch (error) {
    throw new DigestInputError(`cannot read directory ${directory}: ${describeFsError(error)}`);
  }
}

const fsErrorTexts: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && code in fsErrorTexts) return `${fsErrorTexts[code] ?? ''} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** Recomputes every digest on the main thread, until done or interrupted, and lists the paths whose result differs. */
async function verify(digests: readonly FileDigest[], signal: AbortSignal): Promise<Verification> {
  process.stderr.write(`verifying ${digests.length} files on the main thread\n`);
  const mismatches: string[] = [];
  let checked = 0;
  for (const expected of digests) {
    if (signal.aborted) break;
    const actual = await digestFile(expected.path).catch(() => undefined);
    if (actual?.sha256 !== expected.sha256 || actual.gzipBytes !== expected.gzipBytes || actual.bytes !== expected.bytes) {
      mismatches.push(expected.path);
    }
    checked++;
  }
  return { checked, total: digests.length, mismatches, interrupted: signal.aborted };
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
