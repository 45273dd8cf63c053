/**
 * The text form of a simulation trace: one line per scheduling decision or
 * injected fault, and its parser for replay.
 *
 *   17 t=5000 run /user/worker#2 ready=3 batch=2 handled=1
 *   18 t=5000 timer timer#41 ready=1
 *   18 t=5000 crash /user/worker#2 on-message:hash
 *   19 t=5000 deliver main>t1 ready=2 ops=3
 *   19 t=5000 kill-thread t1.1 now actors=2
 *
 * The first field is the step counter after the line's event: a decision
 * increments it, a fault does not. `t=` is virtual time in milliseconds and
 * `ready=` the size of the set the decision was drawn from.
 */

/** A decision that a replay has to repeat. */
export interface RecordedDecision {
  readonly step: number;
  readonly kind: 'run' | 'timer' | 'deliver';
  /** `path#generation` of an actor (`t<i>:path#generation` on a simulated thread), `timer#id`, or a link such as `main>t0`. */
  readonly label: string;
  /** Messages the actor was allowed to process; 0 for a timer. */
  readonly batch: number;
}

const decisionLine = /^(\d+) t=\S+ (run|timer|deliver) (\S+)(?: .*)?$/;
const batchField = / batch=(\d+)(?: |$)/;

/**
 * Parses the decisions out of a trace, given as its lines or its text.
 * Fault lines are skipped: a replay applies the faults that the test sets up.
 * @throws TypeError when a line is not part of a trace.
 */
export function parseDecisions(trace: string | readonly string[]): RecordedDecision[] {
  const lines = typeof trace === 'string' ? trace.split('\n') : trace;
  const decisions: RecordedDecision[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const match = decisionLine.exec(line);
    if (match === null) {
      if (/^\d+ t=\S+ (crash|crash-skipped|kill-thread|kill-skipped) /.test(line)) continue;
      throw new TypeError(`replay trace line ${index + 1} is not a trace line: ${JSON.stringify(line)}`);
    }
    const [, step, kind, label] = match as unknown as [string, string, 'run' | 'timer' | 'deliver', string];
    const batch = kind === 'run' ? Number(batchField.exec(line)?.[1] ?? Number.NaN) : 0;
    if (kind === 'run' && !(batch >= 1)) {
      throw new TypeError(`replay trace line ${index + 1} has no batch=N field: ${JSON.stringify(line)}`);
    }
    decisions.push({ step: Number(step), kind, label, batch });
  }
  return decisions;
}
