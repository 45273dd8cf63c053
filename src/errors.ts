/**
 * Error classes of rhodium. Every error carries a stable `code`, the target
 * actor's path and generation where there is one, and an optional `cause`.
 *
 * `instanceof` works across two copies of the package (for example two
 * versions in one `node_modules` tree) because each class checks a brand that
 * is registered with `Symbol.for`, not its own constructor identity.
 */

const brandKey = Symbol.for('rhodium.error.brand');

/** Stable machine-readable codes, one per condition. */
export const ErrorCodes = {
  MailboxFull: 'RHODIUM_ERR_MAILBOX_FULL',
  Unroutable: 'RHODIUM_ERR_UNROUTABLE',
  ActorStopped: 'RHODIUM_ERR_ACTOR_STOPPED',
  SerializationFailed: 'RHODIUM_ERR_SERIALIZATION_FAILED',
  ConnectionFailed: 'RHODIUM_ERR_CONNECTION_FAILED',
  Unbound: 'RHODIUM_ERR_UNBOUND',
  Timeout: 'RHODIUM_ERR_ASK_TIMEOUT',
  Send: 'RHODIUM_ERR_ASK_SEND',
  NoResponse: 'RHODIUM_ERR_NO_RESPONSE',
  HandlerFailed: 'RHODIUM_ERR_HANDLER_FAILED',
  RegistryFull: 'RHODIUM_ERR_REGISTRY_FULL',
  Aborted: 'RHODIUM_ERR_ABORTED',
  UnknownMessage: 'RHODIUM_ERR_UNKNOWN_MESSAGE',
  NameTaken: 'RHODIUM_ERR_NAME_TAKEN',
  EngineStopped: 'RHODIUM_ERR_ENGINE_STOPPED',
  ParentStopped: 'RHODIUM_ERR_PARENT_STOPPED',
  Escalated: 'RHODIUM_ERR_ESCALATED',
  StartFailed: 'RHODIUM_ERR_START_FAILED',
  ThreadDied: 'RHODIUM_ERR_THREAD_DIED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The actor an error concerns: its path and the generation of its incarnation. */
export interface ErrorTarget {
  readonly path?: string | undefined;
  readonly generation?: number | undefined;
}

interface RhodiumErrorOptions extends ErrorTarget {
  readonly cause?: unknown;
}

function hasBrand(value: unknown, brand: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as Record<symbol, unknown>)[brandKey];
  return Array.isArray(brands) && brands.includes(brand);
}

/** Base class of every error that rhodium creates. */
export class RhodiumError extends Error {
  /** Brand checked by `instanceof`; subclasses set their own. */
  static readonly brand: string = 'RhodiumError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass defined outside rhodium has no brand of its own. The inherited
    // brand would make every plain SendError an instance of it, so the prototype chain decides.
    if (!Object.hasOwn(this, 'brand')) return Function.prototype[Symbol.hasInstance].call(this, value);
    return hasBrand(value, this.brand);
  }

  readonly code: ErrorCode;
  /** Path of the actor the error concerns, if any. */
  readonly path: string | undefined;
  /** Generation of the incarnation the error concerns, if any. */
  readonly generation: number | undefined;

  constructor(code: ErrorCode, message: string, options: RhodiumErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.generation = options.generation;

    // Each class in the chain adds its brand, so `instanceof` checks any level.
    const brands: string[] = [];
    for (let klass = new.target as unknown; klass !== null && typeof klass === 'function'; ) {
      const brand = (klass as { brand?: unknown }).brand;
      if (typeof brand === 'string' && !brands.includes(brand)) brands.push(brand);
      klass = Object.getPrototypeOf(klass);
    }
    Object.defineProperty(this, brandKey, { value: brands, enumerable: false });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true, writable: true });
  }
}

export type SendErrorKind =
  | 'MailboxFull'
  | 'Unroutable'
  | 'ActorStopped'
  | 'SerializationFailed'
  | 'ConnectionFailed'
  | 'Unbound';

const sendMessages: Record<SendErrorKind, string> = {
  MailboxFull: 'mailbox is full; retry later or raise mailboxCapacity',
  Unroutable: 'actor is restarting and has no live incarnation; retry after the restart',
  ActorStopped: 'actor is stopped for good; it will not accept messages again',
  SerializationFailed: 'message could not be structured-cloned; send plain data',
  ConnectionFailed: 'connection to the remote node failed',
  Unbound: 'address is not bound to an actor yet',
};

/**
 * A message could not be enqueued. Returned as a value by `send`, never
 * thrown for a runtime condition.
 */
export class SendError extends RhodiumError {
  static override readonly brand: string = 'SendError';

  readonly kind: SendErrorKind;

  constructor(kind: SendErrorKind, target: ErrorTarget = {}, cause?: unknown) {
    super(ErrorCodes[kind], `send to ${target.path ?? 'actor'} failed: ${sendMessages[kind]}`, {
      ...target,
      cause,
    });
    this.kind = kind;
  }
}

export type AskErrorKind = 'Timeout' | 'Send' | 'NoResponse' | 'HandlerFailed' | 'RegistryFull' | 'Aborted';

/** An `ask` did not produce a reply. */
export class AskError extends RhodiumError {
  static override readonly brand: string = 'AskError';

  readonly kind: AskErrorKind;

  constructor(kind: AskErrorKind, message: string, target: ErrorTarget = {}, cause?: unknown) {
    super(ErrorCodes[kind], message, { ...target, cause });
    this.kind = kind;
  }
}

/** A message whose `type` names no handler of the receiving actor. */
export class UnknownMessageError extends RhodiumError {
  static override readonly brand: string = 'UnknownMessageError';

  /** The `type` value that matched no handler. */
  readonly messageType: unknown;
  /** Name of the receiving actor's definition, as given to `defineActor`. */
  readonly actor: string;

  constructor(messageType: unknown, actorName: string, target: ErrorTarget) {
    const shown = typeof messageType === 'string' ? `'${messageType}'` : String(messageType);
    super(
      ErrorCodes.UnknownMessage,
      `actor '${actorName}' at ${target.path ?? '?'} has no handler for message type ${shown}`,
      target,
    );
    this.messageType = messageType;
    this.actor = actorName;
  }
}

export type SpawnErrorKind = 'NameTaken' | 'EngineStopped' | 'ParentStopped';

/** A spawn request that cannot be carried out. Thrown, because it is a programmer error or a use after shutdown. */
export class SpawnError extends RhodiumError {
  static override readonly brand: string = 'SpawnError';

  readonly kind: SpawnErrorKind;

  constructor(kind: SpawnErrorKind, message: string, target: ErrorTarget = {}) {
    super(ErrorCodes[kind], message, target);
    this.kind = kind;
  }
}

/**
 * The reason a supervisor fails when one of its children exceeds its restart
 * intensity. Its `cause` is the child's last failure.
 */
export class EscalationError extends RhodiumError {
  static override readonly brand: string = 'EscalationError';

  /** Path of the child that exceeded its restart intensity. */
  readonly childPath: string;

  constructor(childPath: string, maxRestarts: number, windowMs: number, target: ErrorTarget, cause: unknown) {
    super(
      ErrorCodes.Escalated,
      `child ${childPath} was restarted more than ${maxRestarts} times in ${windowMs} ms; its supervisor gives up`,
      { ...target, cause },
    );
    this.childPath = childPath;
  }
}

/** Formats an option value for an error message: strings quoted, objects as JSON where possible. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
