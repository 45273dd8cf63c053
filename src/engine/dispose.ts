/**
 * `Symbol.asyncDispose`, which Node.js 20 does not define.
 *
 * TypeScript's `await using` looks the symbol up on `Symbol` at run time,
 * so when it is missing it is installed once, under a registered key so
 * that two copies of rhodium (or another library doing the same) agree.
 */

const symbols = Symbol as { asyncDispose?: symbol };
symbols.asyncDispose ??= Symbol.for('nodejs.asyncDispose');

export const asyncDispose: typeof Symbol.asyncDispose = symbols.asyncDispose as typeof Symbol.asyncDispose;
