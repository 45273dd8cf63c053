/**
 * The pure rules of supervision: which endings restart a child, and which
 * siblings a restart takes along. ActorNode applies them; keeping them here
 * lets the rules be read, and tested, apart from the machinery.
 */

import type { StopReason } from '../actor/stop-reason.js';
import type { RestartPolicy, SupervisionStrategy } from './options.js';

/**
 * Tells whether an incarnation that ended by itself with `reason` is
 * restarted. `permanent` always restarts (after a failure and after a
 * normal `ctx.stop()`, as in Erlang/OTP), `transient` only after a failure,
 * `temporary` never. A stop on purpose (`killed`) never restarts.
 */
export function shouldRestart(policy: RestartPolicy, reason: StopReason): boolean {
  if (reason.kind === 'killed') return false;
  if (policy === 'permanent') return true;
  return policy === 'transient' && reason.kind === 'failed';
}

/**
 * Returns the children that restart together with `child`, in start order:
 * only `child` under one-for-one, every child under one-for-all, and `child`
 * plus the children started after it under rest-for-one.
 */
export function restartGroupOf<T>(children: readonly T[], child: T, strategy: SupervisionStrategy): T[] {
  const index = children.indexOf(child);
  if (index < 0) return [];
  if (strategy === 'one-for-all') return [...children];
  if (strategy === 'rest-for-one') return children.slice(index);
  return [child];
}
