import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const cli = resolve('dist/src/cli/main.js');

interface ManifestLine {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly gzipBytes: number;
}

/** Builds the test tree and returns the paths of the readable regular files in it. */
function buildTree(root: string): { readable: string[]; unreadable: string } {
  const readable: string[] = [];
  for (let i = 0; i < 300; i++) {
    const directory = join(root, `d${i % 7}`, `e${i % 3}`);
    mkdirSync(directory, { recursive: true });
    const path = join(directory, `file-${i}.bin`);
    writeFileSync(path, randomBytes(i * 37));
    readable.push(path);
  }

  const empty = join(root, 'empty.txt');
  writeFileSync(empty, '');
  readable.push(empty);

  const large = join(root, 'large.bin');
  writeFileSync(large, Buffer.concat([randomBytes(4 << 20), Buffer.alloc(4 << 20, 'a')]));
  readable.push(large);

  symlinkSync(join(root, 'does-not-exist'), join(root, 'broken-link'));
  symlinkSync('..', join(root, 'd0', 'loop'));

  const unreadable = join(root, 'secret.bin');
  writeFileSync(unreadable, 'no access');
  chmodSync(unreadable, 0o000);
  return { readable, unreadable };
}

test('digest survives crashes and loses no file', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'rhodium-digest-'));
  try {
    // The CLI runs as an unprivileged user when the tests run as root, so the chmod 000 file is really unreadable.
    chmodSync(workspace, 0o777);
    const tree = join(workspace, 'tree');
    mkdirSync(tree);
    const { readable, unreadable } = buildTree(tree);
    const manifestPath = join(workspace, 'manifest.jsonl');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) spawnSync('chmod', ['-R', 'a+rX', tree]);
    chmodSync(unreadable, 0o000);

    const result = spawnSync(
      process.execPath,
      [cli, 'digest', tree, '--crash-rate', '0.2', '--workers', '4', '--out', manifestPath, '--json'],
      { encoding: 'utf8', timeout: 300_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
    );
    assert.equal(result.status, 0, result.stderr);

    const summary = JSON.parse(result.stdout) as {
      files: number;
      restarts: number;
      unreadable: { path: string }[];
      skipped: { path: string; kind: string }[];
    };
    assert.equal(summary.files, readable.length);
    assert.ok(summary.restarts > 0, 'crash rate 0.2 must cause restarts');
    assert.deepEqual(
      summary.unreadable.map((failure) => failure.path),
      [unreadable],
    );
    assert.deepEqual(
      summary.skipped.map((problem) => problem.kind).sort(),
      ['broken-symlink', 'symlink-loop'],
    );

    const lines = readFileSync(manifestPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ManifestLine);
    const byPath = new Map(lines.map((line) => [line.path, line]));
    assert.equal(byPath.size, lines.length, 'every file appears exactly once');
    assert.deepEqual([...byPath.keys()].sort(), [...readable].sort());

    for (const path of readable) {
      const content = readFileSync(path);
      const line = byPath.get(path);
      assert.ok(line !== undefined, `missing ${path}`);
      assert.equal(line.bytes, content.length, path);
      assert.equal(line.sha256, createHash('sha256').update(content).digest('hex'), path);
      assert.equal(line.gzipBytes, gzipSync(content).length, path);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('digest of a missing directory exits with code 2', () => {
  const missing = join(tmpdir(), 'rhodium-no-such-directory');
  const result = spawnSync(process.execPath, [cli, 'digest', missing], { encoding: 'utf8' });

  assert.equal(result.status, 2);
  assert.ok(result.stderr.includes(missing), result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, 'a one-line error');
});

test('digest leaves its own manifest out of the walk', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'rhodium-digest-out-'));
  try {
    writeFileSync(join(workspace, 'a.txt'), 'hello');
    writeFileSync(join(workspace, 'b.txt'), 'world');
    const manifestPath = join(workspace, 'manifest.jsonl');

    const result = spawnSync(process.execPath, [cli, 'digest', workspace, '--out', manifestPath, '--verify', '--json'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);

    const summary = JSON.parse(result.stdout) as { files: number; verification: { mismatches: string[] } };
    assert.equal(summary.files, 2);
    assert.deepEqual(summary.verification.mismatches, []);
    const paths = readFileSync(manifestPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as ManifestLine).path)
      .sort();
    assert.deepEqual(paths, [join(workspace, 'a.txt'), join(workspace, 'b.txt')]);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('digest with an unwritable manifest exits with code 2', () => {
  const manifestPath = join(tmpdir(), 'rhodium-no-such-directory', 'manifest.jsonl');
  const result = spawnSync(process.execPath, [cli, 'digest', '.', '--out', manifestPath], { encoding: 'utf8' });

  assert.equal(result.status, 2);
  assert.ok(result.stderr.includes(manifestPath), result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, 'a one-line error');
});

test('digest rejects out-of-range thread and worker counts', () => {
  for (const args of [['--threads', '999'], ['--threads', '1e1'], ['--threads', '-1'], ['--workers', '0'], ['--workers', '0x10']]) {
    const result = spawnSync(process.execPath, [cli, 'digest', '.', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.ok(result.stderr.includes(args[0] ?? ''), result.stderr);
  }
});

test('digest rejects an invalid crash rate with code 2', () => {
  const result = spawnSync(process.execPath, [cli, 'digest', '.', '--crash-rate', '1.5'], { encoding: 'utf8' });

  assert.equal(result.status, 2);
  assert.ok(result.stderr.includes('--crash-rate'), result.stderr);
});

test('digest interrupted by SIGINT reports what was done', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'rhodium-digest-sigint-'));
  try {
    // About 200 MB for one worker on the main thread: gzip alone takes seconds, so the first
    // progress line (after one second) arrives while the job is still running.
    const chunk = randomBytes(512 << 10);
    for (let i = 0; i < 400; i++) writeFileSync(join(workspace, `file-${i}.bin`), chunk);

    const args = [cli, 'digest', workspace, '--threads', '0', '--workers', '1'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // Interrupt once the first progress line shows the job is running.
    child.stderr.on('data', (chunk: Buffer) => {
      const first = stderr === '';
      stderr += chunk.toString();
      if (first) child.kill('SIGINT');
    });
    const [code] = (await once(child, 'exit')) as [number | null];

    assert.equal(code, 130, stderr);
    assert.ok(stdout.includes('digest interrupted'), stdout);
    assert.match(stdout, /files\s+\d+/);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
