/**
 * Module references: how an actor definition reaches a worker thread.
 *
 * A definition holds functions, which cannot be sent to another thread. A
 * thread instead imports the module that defines it, by URL, and reads one
 * export. The main thread never imports the module for this: the import and
 * the check of the export happen on the thread, and a failure there is the
 * actor's start failure.
 */

import type { AnyActorDefinition } from '../actor/define.js';
import { describe } from '../supervision/options.js';
import { ModuleLoadError } from './errors.js';

const moduleRefBrand = Symbol.for('rhodium.actorModule');

/**
 * Names an actor definition that a worker thread can import: the module's
 * URL and the export that holds the definition. `D` is the definition's
 * type (`actorModule<typeof Hasher>(…)`), so addresses spawned from it are
 * typed as if spawned from the definition itself.
 */
export interface ActorModuleRef<D extends AnyActorDefinition = AnyActorDefinition> {
  readonly [moduleRefBrand]: true;
  /** Absolute module URL, as the thread passes it to `import()`. */
  readonly url: string;
  /** Name of the export that holds the definition. */
  readonly exportName: string;
  /**
   * Actor kind name used before the thread has imported the module: in the
   * paths of unnamed spawns and as a pool's default name prefix. It is the
   * export name, because the definition's own `name` is only known on the thread.
   */
  readonly name: string;
  /** Carries `D` for type inference only; never set. */
  readonly definitionType?: D;
}

/**
 * Names the actor definition exported as `exportName` by the module at
 * `url`, for actors placed on worker threads.
 *
 * @example
 * ```ts
 * import type { Hasher } from './hasher.js';
 * const HasherModule = actorModule<typeof Hasher>(new URL('./hasher.js', import.meta.url), 'Hasher');
 * ```
 *
 * @throws TypeError when `url` is not an absolute URL (string or `URL`) or
 *   `exportName` is not a JavaScript identifier.
 */
export function actorModule<D extends AnyActorDefinition = AnyActorDefinition>(
  url: string | URL,
  exportName: string,
): ActorModuleRef<D> {
  const href = resolveModuleUrl(url);
  if (typeof exportName !== 'string' || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(exportName)) {
    throw new TypeError(
      `actorModule exportName must be the name of a JavaScript export such as 'Hasher' or 'default', got ${describe(exportName)}`,
    );
  }
  return Object.freeze({ [moduleRefBrand]: true as const, url: href, exportName, name: exportName });
}

function resolveModuleUrl(url: unknown): string {
  if (url instanceof URL) return url.href;
  if (typeof url !== 'string' || url === '') {
    throw new TypeError(`actorModule url must be a URL or a non-empty URL string, got ${describe(url)}`);
  }
  if (!URL.canParse(url)) {
    throw new TypeError(
      `actorModule url must be absolute, got ${JSON.stringify(url)}; build it with new URL('./module.js', import.meta.url)`,
    );
  }
  return new URL(url).href;
}

/** Tells whether `value` was created by `actorModule`, in this or another copy of the package. */
export function isActorModuleRef(value: unknown): value is ActorModuleRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[moduleRefBrand] === true;
}

/** Module imports by URL, shared by every actor of a thread, so a restart does not import again. */
const loaded = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Imports `url` on the calling thread and returns the definition exported
 * as `exportName`.
 *
 * @throws ModuleLoadError (code `RHODIUM_ERR_START_FAILED`) naming the URL
 *   and the export when the import fails or the export is not a definition.
 */
export async function loadActorDefinition(url: string, exportName: string): Promise<AnyActorDefinition> {
  let namespace = loaded.get(url);
  if (namespace === undefined) {
    namespace = import(url) as Promise<Record<string, unknown>>;
    loaded.set(url, namespace);
  }

  let exports: Record<string, unknown>;
  try {
    exports = await namespace;
  } catch (error) {
    // A later spawn imports again, which helps when the file was missing. Node itself keeps a
    // module whose evaluation threw in its cache, and that one fails again with the same error.
    loaded.delete(url);
    throw new ModuleLoadError(url, exportName, 'importing the module failed', {}, error);
  }

  if (!Object.hasOwn(exports, exportName)) {
    const names = Object.keys(exports).join(', ');
    throw new ModuleLoadError(url, exportName, `the module has no export '${exportName}' (it exports: ${names === '' ? 'nothing' : names})`);
  }
  const definition = exports[exportName];
  if (typeof definition !== 'object' || definition === null || !('handlerTable' in definition)) {
    throw new ModuleLoadError(url, exportName, `export '${exportName}' is ${describe(definition)}, not a definition created by defineActor()`);
  }
  return definition as AnyActorDefinition;
}
