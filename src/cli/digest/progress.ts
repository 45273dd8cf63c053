/**
 * The live view of a digest run. On a terminal, log-update redraws a frame
 * with a progress bar and a per-worker table a few times a second.
 * Elsewhere one plain line is printed per second.
 */

import { createLogUpdate } from 'log-update';

/** One worker's row in the table. */
export interface WorkerRow {
  readonly slot: number;
  readonly generation: number | undefined;
  readonly handled: number;
  readonly restarts: number;
}

/** Counters the view reads on every refresh. */
export interface ProgressState {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly restarts: number;
  readonly retries: number;
  readonly elapsedMs: number;
  readonly workers: readonly WorkerRow[];
}

export interface ProgressView {
  /** Draws or prints the current state if its refresh interval has passed. */
  start(read: () => ProgressState): void;
  /** Draws the final state once and stops refreshing. */
  stop(): void;
}

const terminalRefreshMs = 200;
const plainRefreshMs = 1000;
const barWidth = 30;

export function createProgressView(stream: NodeJS.WriteStream): ProgressView {
  return stream.isTTY ? terminalView(stream) : plainView(stream);
}

function terminalView(stream: NodeJS.WriteStream): ProgressView {
  const update = createLogUpdate(stream, { showCursor: true });
  let timer: NodeJS.Timeout | undefined;
  let read: (() => ProgressState) | undefined;
  return {
    start(reader) {
      read = reader;
      timer = setInterval(() => {
        update(renderFrame(reader()));
      }, terminalRefreshMs);
    },
    stop() {
      clearInterval(timer);
      if (read !== undefined) update(renderFrame(read()));
      update.done();
    },
  };
}

function plainView(stream: NodeJS.WriteStream): ProgressView {
  let timer: NodeJS.Timeout | undefined;
  return {
    start(reader) {
      timer = setInterval(() => {
        stream.write(`${renderLine(reader())}\n`);
      }, plainRefreshMs);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** Formats the terminal frame: a bar with rates and ETA, then one row per worker. */
export function renderFrame(state: ProgressState): string {
  let fraction = 1;
  if (state.bytesTotal > 0) fraction = state.bytesDone / state.bytesTotal;
  else if (state.filesTotal > 0) fraction = state.filesDone / state.filesTotal;
  const filled = Math.round(Math.min(1, fraction) * barWidth);
  const bar = '█'.repeat(filled) + '░'.repeat(barWidth - filled);
  const lines = [
    `digest [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${state.filesDone}/${state.filesTotal} files  ` +
      `${megabytes(state.bytesDone)}/${megabytes(state.bytesTotal)} MB  ${rate(state)} MB/s  ETA ${eta(state)}`,
    `restarts ${state.restarts}  retries ${state.retries}`,
    '',
    'slot  generation   handled  restarts',
    ...state.workers.map(
      (row) =>
        `${String(row.slot).padStart(4)}  ${String(row.generation ?? '-').padStart(10)}  ${String(row.handled).padStart(8)}  ${String(row.restarts).padStart(8)}`,
    ),
  ];
  return lines.join('\n');
}

/** Formats the one-line progress report used when output is not a terminal. */
export function renderLine(state: ProgressState): string {
  return (
    `progress: ${state.filesDone}/${state.filesTotal} files, ${megabytes(state.bytesDone)}/${megabytes(state.bytesTotal)} MB, ` +
    `${rate(state)} MB/s, ETA ${eta(state)}, restarts ${state.restarts}, retries ${state.retries}`
  );
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function rate(state: ProgressState): string {
  if (state.elapsedMs <= 0) return '0.0';
  return (state.bytesDone / 1e6 / (state.elapsedMs / 1000)).toFixed(1);
}

function eta(state: ProgressState): string {
  const bytesPerMs = state.elapsedMs > 0 ? state.bytesDone / state.elapsedMs : 0;
  if (bytesPerMs <= 0) return '?';
  const seconds = Math.ceil((state.bytesTotal - state.bytesDone) / bytesPerMs / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}
