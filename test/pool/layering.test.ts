import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

// The compiled test runs from dist/test/pool, and the sources stay under src/pool.
const poolSources = new URL('../../../src/pool/', import.meta.url);

/** Modules pool code may load at run time: addresses, errors, the clock seam and its own files. */
const runtimeAllowed = [/^\.\/[a-z-]+\.js$/, /^\.\.\/address\//, /^\.\.\/errors\.js$/, /^\.\.\/scheduler\/clock\.js$/, /^node:os$/];
/** Modules pool code may name only in types: the message and reply types of actor definitions. */
const typeOnlyAllowed = [/^\.\.\/actor\/define\.js$/, /^\.\.\/actor\/envelope\.js$/];

test('pool imports only addresses and errors', () => {
  const files = readdirSync(poolSources).filter((name) => name.endsWith('.ts'));
  assert.ok(files.includes('worker-pool.ts'));

  for (const file of files) {
    const text = readFileSync(new URL(file, poolSources), 'utf8');
    for (const match of text.matchAll(/^import (type )?[^;]*? from '([^']+)';/gms)) {
      const typeOnly = match[1] !== undefined;
      const specifier = match[2] ?? '';
      const allowed = runtimeAllowed.some((pattern) => pattern.test(specifier)) ||
        (typeOnly && typeOnlyAllowed.some((pattern) => pattern.test(specifier)));
      assert.ok(allowed, `${file} imports ${typeOnly ? 'type ' : ''}${specifier}`);
    }
  }
});
