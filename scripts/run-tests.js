// Runs every compiled test file under dist/test with node's test runner.
// Node.js 20 takes no glob patterns on the command line, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function listTestFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listTestFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = listTestFiles('dist/test').sort();
if (files.length === 0) {
  console.error('No test files found under dist/test: run `npm run build` first.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
