// Lint: typescript-eslint with type information, zero warnings (`npm run check`). Layer rules live in
// .dependency-cruiser.cjs; the one layer rule here is where REST method names may be written.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A REST method name as a whole string ('event.bind', 'event.offline.get', …): only the API layer and the sandbox name methods. */
const restMethodName = String.raw`/^(event|events|app|feature|user|server|batch)\.[a-z_.]+$/`;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'schema/**', '.bench/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/api/**', 'src/sandbox/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${restMethodName}]`, message: 'REST method names belong in src/api/ (a typed call per area); call that instead.' },
        {
          selector: `TemplateElement[value.raw=${restMethodName}]`,
          message: 'REST method names belong in src/api/ (a typed call per area); call that instead.',
        },
      ],
    },
  },
  {
    // Tests read arbitrary JSON replies (typed `any` on purpose, see test/sandbox/helpers.ts) and assert on them.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // ANSI escapes in terminal output are what some tests look for
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
