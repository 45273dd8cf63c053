import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The fixture process asks an actor whose module exists only through module
// hooks that `--import register-loader.js` registers, as `--import tsx` does.
const register = fileURLToPath(new URL('../fixtures/threads/register-loader.js', import.meta.url));
const main = fileURLToPath(new URL('../fixtures/threads/loader-main.js', import.meta.url));

function runFixture(nodeOptions: readonly string[], mode: 'inherit' | 'empty'): unknown {
  const result = spawnSync(process.execPath, [...nodeOptions, main, mode], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

test('threads inherit the loader from execArgv', () => {
  assert.deepEqual(runFixture(['--import', register], 'inherit'), { reply: 'served by the loader hooks' });
});

test('thread without the loader fails to start', () => {
  assert.deepEqual(runFixture([], 'inherit'), { askError: 'NoResponse', startFailure: 'RHODIUM_ERR_START_FAILED' });
});

test('explicit empty execArgv drops the loader', () => {
  assert.deepEqual(runFixture(['--import', register], 'empty'), { askError: 'NoResponse', startFailure: 'RHODIUM_ERR_START_FAILED' });
});

test('threads run TypeScript sources under tsx', () => {
  // The sources, not the build: the worker entry and the actor module are .ts files here.
  const registerTsx = fileURLToPath(new URL('../fixtures/threads/register-tsx.js', import.meta.url));
  const source = fileURLToPath(new URL('../../../test/fixtures/threads/tsx-main.ts', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', registerTsx, source], { encoding: 'utf8', timeout: 60_000 });

  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { reply: 'from a TypeScript actor', extension: 'ts' });
});
