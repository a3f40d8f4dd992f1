import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', 'outbox/', 'coverage/', 'docs/samples/'] },
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
);
