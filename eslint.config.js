// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'scripts/*.js', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test runs and reports these promises itself.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-invalid-void-type': 'off',
      // Public entry points validate input from untyped callers, which this rule reports as impossible.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    // The runtime reads time and randomness only through the injected clock and random source, so a
    // simulation can replace both. test/simulation/no-direct-time.test.ts greps src/ for the same calls.
    files: ['src/**/*.ts'],
    // The CLI is an application built on the runtime, so it may use real time.
    ignores: ['src/scheduler/clock.ts', 'src/engine/config.ts', 'src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Read time through the injected Clock.' },
        { object: 'performance', property: 'now', message: 'Read time through the injected Clock.' },
        { object: 'performance', property: 'timeOrigin', message: 'Read time through the injected Clock.' },
        { object: 'process', property: 'hrtime', message: 'Read time through the injected Clock.' },
        { object: 'process', property: 'uptime', message: 'Read time through the injected Clock.' },
        { object: 'Math', property: 'random', message: 'Use the injected RandomSource.' },
        { object: 'crypto', property: 'randomUUID', message: 'Use the injected RandomSource.' },
        { object: 'crypto', property: 'getRandomValues', message: 'Use the injected RandomSource.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Set timers through the injected Clock.' },
        { name: 'setInterval', message: 'Set timers through the injected Clock.' },
        { name: 'clearTimeout', message: 'Clear timers through the injected Clock.' },
        { name: 'clearInterval', message: 'Clear timers through the injected Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: 'Read time through the injected Clock.' },
        { selector: 'CallExpression[callee.name="Date"]', message: 'Read time through the injected Clock.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:timers', message: 'Set timers through the injected Clock.' },
            { name: 'timers', message: 'Set timers through the injected Clock.' },
            { name: 'node:timers/promises', message: 'Set timers through the injected Clock.' },
            { name: 'timers/promises', message: 'Set timers through the injected Clock.' },
            { name: 'node:perf_hooks', importNames: ['performance'], message: 'Read time through the injected Clock.' },
            { name: 'perf_hooks', importNames: ['performance'], message: 'Read time through the injected Clock.' },
            {
              name: 'node:crypto',
              importNames: ['randomUUID', 'randomBytes', 'randomInt', 'randomFillSync', 'randomFill', 'getRandomValues', 'webcrypto'],
              message: 'Use the injected RandomSource.',
            },
            {
              name: 'crypto',
              importNames: ['randomUUID', 'randomBytes', 'randomInt', 'randomFillSync', 'randomFill', 'getRandomValues', 'webcrypto'],
              message: 'Use the injected RandomSource.',
            },
          ],
        },
      ],
    },
  },
);
