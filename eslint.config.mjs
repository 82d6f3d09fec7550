// Lint rules; the import boundaries keep src/core pure and src/aws free of the editor API.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'dist-package/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'src/core is pure: no vscode.' },
        { group: ['@aws-sdk/*', '@smithy/*'], message: 'src/core is pure: no AWS SDK.' },
        { group: ['../aws/*', '../ui/*', '../aws', '../ui'], message: 'src/core depends on nothing else in src.' },
      ] }],
    },
  },
  {
    files: ['src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'src/aws must not import vscode; the UI passes what it needs.' },
        { group: ['../ui/*', '../ui'], message: 'src/aws must not depend on src/ui.' },
      ] }],
    },
  },
  {
    // The lazy-load boundary: the UI may only `import type` from src/aws; the AWS layer (and the SDK) is loaded on the
    // first AWS call through ui/awsLoader.ts, never at activation.
    files: ['src/ui/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['**/aws', '**/aws/*', '!**/aws/api'], message: 'src/ui may only `import type` from src/aws/api (the AWS layer loads lazily: use deps.aws.get()).', allowTypeImports: true },
        { group: ['**/aws/api'], message: 'src/ui may only `import type` from src/aws/api.', allowTypeImports: true },
        { group: ['@aws-sdk/*', '@smithy/*'], message: 'The SDK loads lazily with dist/aws.js: src/ui must not import it.', allowTypeImports: true },
      ] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
