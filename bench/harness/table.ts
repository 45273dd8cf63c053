/** Plain-text tables of scenario results, for the terminal. */

import { formatNumber } from './runner.js';
import { formatRatio } from './targets.js';
import type { CaseResult, ScenarioResult, SystemResult } from './types.js';

/** Returns the median of the reference system of `kind` in a case: the first one of that kind with a number. */
export function referenceMedian(result: CaseResult, kind: 'rhodium' | 'baseline'): number | undefined {
  for (const system of result.systems) {
    if (system.kind === kind && system.status === 'measured') return system.median;
  }
  return undefined;
}

/** Returns `value / reference` formatted, or a dash when either is missing. */
export function ratioText(system: SystemResult, reference: number | undefined): string {
  if (system.status !== 'measured' || reference === undefined || reference === 0) return '-';
  return formatRatio(system.median / reference);
}

function spreadText(system: SystemResult): string {
  if (system.status !== 'measured') return '';
  return `${formatNumber(system.min)} - ${formatNumber(system.max)}`;
}

function valueText(system: SystemResult): string {
  if (system.status === 'measured') return formatNumber(system.median);
  return system.status === 'unavailable' ? 'n/a' : 'FAILED';
}

/** Formats one scenario as a heading and one aligned table per case. */
export function formatScenario(result: ScenarioResult): string {
  const lines: string[] = [`## ${result.title} [${result.id}]`, ''];
  for (const benchCase of result.cases) {
    const direction = benchCase.metric.better === 'higher' ? 'higher is better' : 'lower is better';
    lines.push(`${benchCase.label} (median ${benchCase.metric.unit}, ${direction}; ${benchCase.rounds} rounds)`);

    const rhodium = referenceMedian(benchCase, 'rhodium');
    const bare = referenceMedian(benchCase, 'baseline');
    const rows = benchCase.systems.map((system) => [
      system.name,
      valueText(system),
      spreadText(system),
      ratioText(system, rhodium),
      ratioText(system, bare),
    ]);
    lines.push(...alignColumns([['system', 'median', 'min - max', 'vs rhodium', 'vs bare'], ...rows]));
    for (const system of benchCase.systems) {
      if (system.status !== 'measured') lines.push(`  ${system.name}: ${system.status === 'failed' ? 'FAILED, ' : ''}${system.reason}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Formats the target verdicts of every scenario. */
export function formatTargets(results: readonly ScenarioResult[]): string {
  const lines = ['## Targets', ''];
  for (const result of results) {
    for (const target of result.targets) {
      let verdict = 'NO DATA';
      if (target.met !== undefined) verdict = target.met ? 'MET' : 'MISSED';
      lines.push(`${verdict.padEnd(7)} ${target.description}: ${target.measured}`);
    }
  }
  return lines.join('\n');
}

/** Pads cells so columns line up: the first column to the left, the others to the right. */
function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
