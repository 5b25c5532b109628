import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'apps/web/dist/**',
      'libs/api-client/src/generated/**',
      'libs/platform/src/database/migrations/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
  // Feature boundaries (ARCHITECTURE.md, convention 12). Flat config replaces a rule's options per object, so
  // every no-restricted-imports pattern of these files lives in this one object.
  {
    files: ['libs/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    ignores: ['**/*.entity.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@crescendo/*'],
              importNamePattern: '(Entity|Repository)$',
              message:
                "Another feature's entities and repositories are its own: call its service or a query interface it exports.",
            },
            {
              group: ['@crescendo/*/**', '../../*/src/**', '../../../libs/*/src/**'],
              message: 'Import another feature through its barrel (@crescendo/<feature>), never its files.',
            },
          ],
        },
      ],
    },
  },
  {
    // The platform is mechanism only: it never imports a feature.
    files: ['libs/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@crescendo/*', '!@crescendo/platform'], message: 'libs/platform must not depend on a feature.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'apps/api/src/bin/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
