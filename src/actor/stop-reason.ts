/**
 * Why an incarnation ended. Supervisors read it to decide whether to restart.
 *
 * - `stopped`: the actor called `ctx.stop()` (a normal exit).
 * - `killed`: its supervisor or the engine stopped it on purpose
 *   (`engine.stop`, shutdown, a sibling's restart under `one-for-all`).
 * - `failed`: a handler or `onStart` threw or rejected, a message had an
 *   unknown type, or a child escalated.
 */
export type StopReason =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'killed'; readonly by: 'engine' | 'shutdown' | 'supervisor' | 'parent' }
  | { readonly kind: 'failed'; readonly error: unknown };

export const normalStop: StopReason = Object.freeze({ kind: 'stopped' });
