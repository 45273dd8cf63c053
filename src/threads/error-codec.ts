/**
 * The error codec: thrown values cross threads as plain data and are
 * rebuilt on the other side as the same classes.
 *
 * Structured clone alone is not enough. It keeps only the built-in error
 * classes, drops `code`, `kind`, `path` and every other own field, and
 * loses the brand that makes `instanceof RhodiumError` work. So an error is
 * encoded field by field, its cause chain included, and rebuilt from the
 * brand list on the receiving side.
 */

import { types } from 'node:util';
import { AskError, EscalationError, RhodiumError, SendError, SpawnError, UnknownMessageError } from '../errors.js';
import { ModuleLoadError, ThreadDiedError } from './errors.js';

const brandKey = Symbol.for('rhodium.error.brand');

/** Error classes rebuilt by brand. A brand not listed here falls back to the nearest listed ancestor. */
const rhodiumClasses = new Map<string, { prototype: object }>([
  ['RhodiumError', RhodiumError],
  ['SendError', SendError],
  ['AskError', AskError],
  ['UnknownMessageError', UnknownMessageError],
  ['SpawnError', SpawnError],
  ['EscalationError', EscalationError],
  ['ThreadDiedError', ThreadDiedError],
  ['ModuleLoadError', ModuleLoadError],
]);

/** Built-in error classes rebuilt by constructor name. */
const builtinClasses = new Map<string, ErrorConstructor>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
  ['AggregateError', AggregateError as unknown as ErrorConstructor],
]);

/** Fields that are copied by their own rules, not as data fields. */
const specialFields = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** Cause chains deeper than this are cut, so a cycle or a runaway chain stays bounded. */
const maxDepth = 16;

/** An error, or another thrown value, as plain data that structured clone always accepts. */
export type EncodedError =
  | {
      readonly form: 'error';
      /** Constructor name on the sending side, such as `TypeError` or `SendError`. */
      readonly className: string;
      /** Brands of a RhodiumError, most derived first; `undefined` for other errors. */
      readonly brands: readonly string[] | undefined;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      /** Present when the error had an own `cause`. */
      readonly cause?: EncodedError;
      /** The inner errors of an `AggregateError`. */
      readonly errors?: readonly EncodedError[];
      /** Own enumerable fields such as `code`, `kind`, `path`, `generation`, `messageType`. */
      readonly fields: Readonly<Record<string, unknown>>;
    }
  /** A thrown value that is not an Error and survives structured clone. */
  | { readonly form: 'value'; readonly value: unknown }
  /** A thrown value that structured clone rejects, such as a function; only its description crosses. */
  | { readonly form: 'text'; readonly text: string };

/** Encodes a thrown value so it can cross a thread boundary. Never throws. */
export function encodeError(value: unknown): EncodedError {
  try {
    return encodeAt(value, 0, new Set());
  } catch (error) {
    // A hostile value, such as a Proxy whose traps throw, still crosses as text.
    return { form: 'text', text: `[error could not be encoded: ${safeString(error)}]` };
  }
}

function encodeAt(value: unknown, depth: number, seen: Set<unknown>): EncodedError {
  // isNativeError also accepts errors made in another realm, such as a vm context.
  if (!(value instanceof Error) && !(value instanceof RhodiumError) && !types.isNativeError(value)) return encodeValue(value);
  if (seen.has(value) || depth >= maxDepth) {
    return { form: 'text', text: `[cause chain cut at depth ${depth}: ${safeString(value)}]` };
  }
  seen.add(value);

  const error = value as Error & Record<string, unknown>;
  const brands = (error as unknown as Record<symbol, unknown>)[brandKey];
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (specialFields.has(key)) continue;
    const field = cloneOrUndefined(readField(error, key));
    if (field.ok) fields[key] = field.value;
  }

  const encoded: {
    -readonly [K in keyof Extract<EncodedError, { form: 'error' }>]: Extract<EncodedError, { form: 'error' }>[K];
  } = {
    form: 'error',
    className: error.constructor === undefined ? 'Error' : safeString(error.constructor.name),
    brands: Array.isArray(brands) ? brands.filter((brand): brand is string => typeof brand === 'string') : undefined,
    name: safeString(readField(error, 'name')),
    message: safeString(readField(error, 'message')),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    fields,
  };
  if (Object.hasOwn(error, 'cause')) encoded.cause = encodeAt(error.cause, depth + 1, seen);
  const inner = readField(error, 'errors');
  if (error instanceof AggregateError && Array.isArray(inner)) {
    encoded.errors = inner.map((item: unknown) => encodeAt(item, depth + 1, seen));
  }
  return encoded;
}

function encodeValue(value: unknown): EncodedError {
  const cloned = cloneOrUndefined(value);
  if (cloned.ok) return { form: 'value', value: cloned.value };
  return { form: 'text', text: safeString(value) };
}

/** Rebuilds a thrown value from its encoding: the same class, fields and cause chain. */
export function decodeError(encoded: EncodedError): unknown {
  if (encoded.form === 'value') return encoded.value;
  if (encoded.form === 'text') return new Error(encoded.text);

  const error = createInstance(encoded);
  define(error, 'message', encoded.message);
  if (encoded.stack !== undefined) define(error, 'stack', encoded.stack);
  if (encoded.cause !== undefined) define(error, 'cause', decodeError(encoded.cause));
  if (encoded.errors !== undefined) define(error, 'errors', encoded.errors.map(decodeError));
  for (const [key, value] of Object.entries(encoded.fields)) {
    Object.defineProperty(error, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return error;
}

/**
 * Creates an object of the class the encoding names, without running its
 * constructor: RhodiumError constructors build their message from
 * arguments that the encoding no longer has.
 */
function createInstance(encoded: Extract<EncodedError, { form: 'error' }>): Error {
  if (encoded.brands !== undefined && encoded.brands.length > 0) {
    const known = encoded.brands.find((brand) => rhodiumClasses.has(brand)) ?? 'RhodiumError';
    const prototype = (rhodiumClasses.get(known) ?? RhodiumError).prototype;
    const error = Object.create(prototype) as Error;
    // The full brand list keeps `instanceof` true for subclasses this side does not know.
    Object.defineProperty(error, brandKey, { value: [...encoded.brands], enumerable: false });
    define(error, 'name', encoded.name);
    return error;
  }

  const builtin = builtinClasses.get(encoded.className);
  const error = builtin === undefined ? new Error() : Object.create(builtin.prototype) as Error;
  // A user-defined class is rebuilt as an Error that keeps the original name.
  if (builtin === undefined || encoded.name !== builtin.name) define(error, 'name', encoded.name);
  return error;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}

/** Reads a property without letting a throwing getter escape. */
function readField(target: Record<string, unknown>, key: string): unknown {
  try {
    return target[key];
  } catch (error) {
    return `[getter threw: ${safeString(error)}]`;
  }
}

function cloneOrUndefined(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) {
    return { ok: true, value };
  }
  try {
    return { ok: true, value: structuredClone(value) };
  } catch {
    return { ok: false };
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
