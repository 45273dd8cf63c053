import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/bench/, so the built bench is two levels up.
const benchMain = fileURLToPath(new URL('../../bench/main.js', import.meta.url));
const scenarioDirectory = fileURLToPath(new URL('../../bench/scenarios/', import.meta.url));

test('bench quick mode runs every scenario', { timeout: 180_000 }, () => {
  const run = spawnSync(process.execPath, [benchMain, '--quick'], { encoding: 'utf8', timeout: 170_000 });

  assert.equal(run.error, undefined);
  assert.equal(run.status, 0, `bench exited with ${String(run.status)}; stderr:\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, /FAILED/);
  const ids = readdirSync(scenarioDirectory)
    .filter((name) => /^\d+-[a-z0-9-]+\.js$/.test(name))
    .map((name) => name.replace(/^\d+-/, '').replace(/\.js$/, ''));
  assert.ok(ids.length > 0);
  for (const id of ids) assert.match(run.stdout, new RegExp(`^## .+ \\[${id}\\]$`, 'm'));
  assert.match(run.stdout, /^system +median +min - max +vs rhodium +vs bare$/m);
  assert.match(run.stdout, /^## Targets$/m);
});
