/**
 * Formats the end-of-run summary for people and for machines.
 */

import type { DigestSummary } from './run.js';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function formatSummary(summary: DigestSummary): string {
  const where = summary.threads === 0 ? 'the main thread' : plural(summary.threads, 'thread');
  const lines = [
    summary.interrupted ? 'digest interrupted; results so far:' : 'digest complete:',
    `  directory     ${summary.directory}`,
    `  workers       ${summary.workers} on ${where}`,
    `  files         ${summary.files}`,
    `  bytes         ${summary.bytes} (${(summary.bytes / 1e6).toFixed(1)} MB)`,
    `  duration      ${(summary.durationMs / 1000).toFixed(2)} s`,
    `  throughput    ${summary.megabytesPerSecond.toFixed(1)} MB/s`,
    `  restarts      ${summary.restarts}`,
    `  retries       ${summary.retries}`,
    `  dead letters  ${summary.deadLetters}`,
  ];

  lines.push(`  unreadable    ${summary.unreadable.length}`);
  for (const failure of summary.unreadable) lines.push(`    ${failure.path}: ${failure.error}`);
  lines.push(`  failed        ${summary.failed.length}`);
  for (const failure of summary.failed) lines.push(`    ${failure.path}: ${failure.error}`);
  lines.push(`  skipped       ${summary.skipped.length}`);
  for (const problem of summary.skipped) lines.push(`    ${problem.path}: ${problem.kind}, ${problem.detail}`);

  lines.push(`  verification  ${formatVerification(summary)}`);
  for (const path of summary.verification?.mismatches ?? []) lines.push(`    mismatch: ${path}`);
  return lines.join('\n');
}

function formatVerification(summary: DigestSummary): string {
  const verification = summary.verification;
  if (verification === undefined) return summary.interrupted ? 'not run (interrupted)' : 'not run';
  const { checked, total, mismatches } = verification;
  if (verification.interrupted) return `interrupted after ${checked} of ${plural(total, 'file')}, ${mismatches.length} mismatched`;
  if (mismatches.length === 0) return `passed (${plural(checked, 'file')} recomputed on the main thread)`;
  return `FAILED for ${mismatches.length} of ${plural(checked, 'file')}`;
}

/**
 * Returns the exit code of a finished run: 130 when interrupted, 1 when
 * verification found a mismatch or a file failed every retry, else 0.
 * Unreadable files and skipped entries are reported but do not fail a run.
 */
export function exitCodeOf(summary: DigestSummary): number {
  if (summary.interrupted) return 130;
  if (summary.failed.length > 0) return 1;
  if (summary.verification !== undefined && summary.verification.mismatches.length > 0) return 1;
  return 0;
}
