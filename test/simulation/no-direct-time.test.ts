/**
 * A second guard behind the lint rules: the runtime must read time and
 * randomness only through the injected clock and random source, or a
 * simulation stops being reproducible. The two files that define the real
 * defaults are the only exceptions, and the `rhodium` command under cli/ is
 * an application built on the runtime, not part of it.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/simulation, so the sources are three levels up.
const sourceRoot = fileURLToPath(new URL('../../../src/', import.meta.url));
const allowed = new Set(['scheduler/clock.ts', 'engine/config.ts']);

const forbidden: [string, RegExp][] = [
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['new Date()', /\bnew\s+Date\s*\(\s*\)/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['process.hrtime', /\bprocess\s*\.\s*hrtime\b/],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['crypto randomness', /\b(randomUUID|randomBytes|randomInt|getRandomValues)\b/],
  ['node:timers', /from\s+['"](node:)?timers/],
];

function listSources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Blanks out comments, so prose that names a forbidden call does not count. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('src reads no time or randomness directly', () => {
  const sources = listSources(sourceRoot);
  assert.ok(sources.length > 10, `found only ${sources.length} source files under ${sourceRoot}`);

  const violations: string[] = [];
  for (const path of sources) {
    const name = relative(sourceRoot, path).split('\\').join('/');
    if (allowed.has(name) || name.startsWith('cli/')) continue;
    const code = stripComments(readFileSync(path, 'utf8'));
    for (const [label, pattern] of forbidden) {
      if (pattern.test(code)) violations.push(`${name}: ${label}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('comment stripping keeps code', () => {
  const code = stripComments("const a = Date.now(); // Math.random\n/* setTimeout */ const url = 'http://x';");
  assert.match(code, /Date\.now/);
  assert.doesNotMatch(code, /Math\.random|setTimeout/);
  assert.match(code, /http:\/\/x/);
});
