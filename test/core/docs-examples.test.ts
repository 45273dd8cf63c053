import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';

const execFileAsync = promisify(execFile);

// Compiled tests live in dist/test/core, three levels below the package root.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const documents = ['README.md', 'docs/actors.md', 'docs/pool.md'];

/** Returns the ```ts blocks of a Markdown file with the line each starts on. */
function extractExamples(markdown: string): { code: string; line: number }[] {
  const examples: { code: string; line: number }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    examples.push({ code: lines.slice(start, end).join('\n'), line: start + 1 });
    i = end;
  }
  return examples;
}

function loadCompilerOptions(): ts.CompilerOptions {
  const configPath = join(packageRoot, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)) as { config: unknown };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, packageRoot);
  return { ...parsed.options, noEmit: true, noUnusedLocals: false };
}

for (const document of documents) {
  test(`examples in ${document} compile`, () => {
    const examples = extractExamples(readFileSync(join(packageRoot, document), 'utf8'));
    assert.ok(examples.length > 0, `${document} has no ts examples`);

    // Each example is its own module beside the document, so `import ... from 'rhodium'`
    // resolves through the package's own exports map, as it does for users.
    const files = new Map(
      examples.map((example, i) => [join(packageRoot, 'docs', `example-${i}.ts`), example] as const),
    );
    const options = loadCompilerOptions();
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (path) => files.get(path)?.code ?? readFile(path);
    host.fileExists = (path) => files.has(path) || fileExists(path);
    host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
      const example = files.get(path);
      if (example !== undefined) return ts.createSourceFile(path, example.code, languageVersion, true);
      return getSourceFile(path, languageVersion, onError, shouldCreate);
    };

    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const file = diagnostic.file;
      if (file === undefined) return text;
      const example = files.get(file.fileName);
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return example === undefined ? `${file.fileName}: ${text}` : `${document}:${example.line + line}: ${text}`;
    });
    assert.deepEqual(problems, []);
  });
}

for (const document of documents) {
  test(`examples in ${document} run`, async () => {
    const examples = extractExamples(readFileSync(join(packageRoot, document), 'utf8'));
    // Inside the package, so `import ... from 'rhodium'` resolves to the built dist/src.
    const directory = join(packageRoot, 'dist', 'docs-examples', document.replace(/[^A-Za-z0-9]/g, '-'));
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });

    const runs = examples.map(async (example, i) => {
      const file = join(directory, `example-${i}.js`);
      const { outputText } = ts.transpileModule(example.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(file, outputText);
      try {
        await execFileAsync(process.execPath, [file], { timeout: 20_000 });
        return undefined;
      } catch (error) {
        return `${document}:${example.line}: ${String(error)}`;
      }
    });
    const failures = (await Promise.all(runs)).filter((failure) => failure !== undefined);
    assert.deepEqual(failures, []);
  });
}
