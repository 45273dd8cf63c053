/**
 * Formats the end-of-run summary for people and for machines.
 */

import type { DigestSummary } from './run.js';

export function formatSummary(summary: DigestSummary): string {
  const lines = [
    summary.interrupted ? 'digest interrupted; results so far:' : 'digest complete:',
    `  directory     ${summary.directory}`,
    `  workers       ${summary.workers} on ${summary.threads === 0 ? 'the main thread' : `${summary.threads} threads`}`,
    `  files         ${summary.files}`,
    `  bytes         ${summary.bytes} (${(summary.bytes / 1e6).toFixed(1)} MB)`,
    `  duration      ${(summary.durationMs / 1000).toFixed(2)} s`,
    `  throughput    ${summary.megabytesPerSecond.toFixed(1)} MB/s`,
    `  restarts      ${summary.restarts}`,
    `  retries       ${summary.retries}`,
    `  dead letters  ${summary.deadLetters}`,
    `  unreadable    ${summary.unreadable.length}`,
    `  skipped       ${summary.skipped.length}`,
  ];
  for (const failure of summary.unreadable) lines.push(`    unreadable: ${failure.path}: ${failure.error}`);
  for (const problem of summary.skipped) lines.push(`    ${problem.kind}: ${problem.path}: ${problem.detail}`);

  const verification = summary.verification;
  if (verification === undefined) {
    lines.push('  verification  not run');
  } else if (verification.mismatches.length === 0) {
    lines.push(`  verification  passed (${verification.checked} files recomputed on the main thread)`);
  } else {
    lines.push(`  verification  FAILED for ${verification.mismatches.length} of ${verification.checked} files`);
    for (const path of verification.mismatches) lines.push(`    mismatch: ${path}`);
  }
  return lines.join('\n');
}

/** Returns the exit code of a finished run: 130 when interrupted, 1 when verification found a mismatch, else 0. */
export function exitCodeOf(summary: DigestSummary): number {
  if (summary.interrupted) return 130;
  if (summary.verification !== undefined && summary.verification.mismatches.length > 0) return 1;
  return 0;
}
