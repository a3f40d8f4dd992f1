import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'outbox/', 'coverage/', 'docs/samples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
    },
  },
  {
    // The functional core: no I/O, no clock (README.md "Design": src/domain reads no clock and does no I/O).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@prisma/*',
            'bullmq',
            'ioredis',
            'nodemailer',
            'node-cron',
            'pg',
            'node:*',
            '../config*',
            '../db/*',
            '../mail/*',
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'the domain takes the as-of date as data; use CivilDate' },
        'process',
      ],
    },
  },
  {
    // The web layer asks src/app: a handler never reaches the database itself (README.md
    // "Design"). Only the composition root (start.ts) builds the pool it hands down.
    files: ['src/web/**/*.ts'],
    ignores: ['src/web/start.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db', '**/db/*'],
              message: 'src/web asks a use case in src/app; only src/web/start.ts may build clients from src/db',
            },
          ],
        },
      ],
    },
  },
  {
    // A use case never imports jobs/: it asks for work through src/app/ports.ts's WorkQueue,
    // which the worker implements (src/worker/queue.ts).
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/jobs', '**/jobs/*'],
              message: 'src/app enqueues through the WorkQueue of src/app/ports.ts, never jobs/',
            },
          ],
        },
      ],
    },
  },
);
