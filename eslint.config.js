// ESLint with type information (typescript-eslint's recommendedTypeChecked):
// the code is promise-heavy, and tsc does not catch a floating promise or one
// passed where a callback's result is ignored (no-floating-promises,
// no-misused-promises). A rule turned off for a line says why beside it.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'artifacts/', 'node_modules/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The three programs of `npm run typecheck`, each file with its own lib and types.
        project: ['./tsconfig.json', './tsconfig.page.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Off: an async function without await is how a Promise-returning
      // interface method (a channel's connect, a step's run) is written when
      // it has nothing to wait for; dropping async would turn its throws from
      // rejections into synchronous exceptions that its callers do not expect.
      '@typescript-eslint/require-await': 'off',
      // A parameter named _x is there for its position, as tsc's
      // noUnusedParameters also accepts (Express tells an error handler by
      // its four parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // This file itself: plain JavaScript, in no tsconfig.
  { files: ['eslint.config.js'], extends: [tseslint.configs.disableTypeChecked] },
);
