/**
 * Targets: a measured value of one system compared with a fixed bound, or
 * the ratio of two measured values compared with a factor.
 */

import { formatNumber } from './runner.js';
import type { ScenarioResult, Target, TargetOutcome } from './types.js';

/** A system's median in one case. */
export interface Point {
  readonly caseId: string;
  readonly system: string;
}

type Relation = '>=' | '<=' | '<';

/** Looks up the median of `system` in case `caseId`; `undefined` when it has no number. */
export function medianOf(results: ScenarioResult, point: Point): number | undefined {
  const found = results.cases.find((c) => c.id === point.caseId)?.systems.find((s) => s.name === point.system);
  return found?.status === 'measured' ? found.median : undefined;
}

function unitOf(results: ScenarioResult, caseId: string): string {
  return results.cases.find((c) => c.id === caseId)?.metric.unit ?? '';
}

function holds(value: number, relation: Relation, bound: number): boolean {
  if (relation === '>=') return value >= bound;
  if (relation === '<=') return value <= bound;
  return value < bound;
}

function missing(point: Point): TargetOutcome {
  return { met: undefined, measured: `no number for ${point.system} in ${point.caseId}` };
}

/** The median of `point` compared with a fixed `bound` in the case's unit. */
export function boundTarget(description: string, point: Point, relation: Relation, bound: number): Target {
  return {
    description,
    evaluate(results) {
      const value = medianOf(results, point);
      if (value === undefined) return missing(point);
      const unit = unitOf(results, point.caseId);
      return {
        met: holds(value, relation, bound),
        measured: `${point.system}: ${formatNumber(value)} ${unit} (bound ${relation} ${formatNumber(bound)} ${unit})`,
      };
    },
  };
}

/** The ratio `numerator / denominator` of two medians compared with `factor`. */
export function ratioTarget(description: string, numerator: Point, relation: Relation, factor: number, denominator: Point): Target {
  return {
    description,
    evaluate(results) {
      const top = medianOf(results, numerator);
      const bottom = medianOf(results, denominator);
      if (top === undefined) return missing(numerator);
      if (bottom === undefined || bottom === 0) return missing(denominator);
      const ratio = top / bottom;
      const describePoint = (point: Point, value: number): string =>
        `${point.system} ${formatNumber(value)} ${unitOf(results, point.caseId)}`;
      return {
        met: holds(ratio, relation, factor),
        measured: `${describePoint(numerator, top)} / ${describePoint(denominator, bottom)} = ${formatRatio(ratio)} (target ${relation} ${formatRatio(factor)})`,
      };
    },
  };
}

/** Formats a ratio as `0.61x` or `12.3x`. */
export function formatRatio(ratio: number): string {
  return `${formatNumber(ratio)}x`;
}

/** `ratioTarget` for two systems of the same case. */
export function caseRatioTarget(
  description: string,
  caseId: string,
  system: string,
  relation: Relation,
  factor: number,
  reference: string,
): Target {
  return ratioTarget(description, { caseId, system }, relation, factor, { caseId, system: reference });
}
