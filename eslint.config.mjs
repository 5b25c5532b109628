import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A feature reaches another only through its barrel's services, DTOs and types. */
const BOUNDARY_PATTERNS = [
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
];
const NO_FASTIFY = {
  name: 'fastify',
  message:
    'Domain code reads the request through currentRequest() (@crescendo/platform); controllers pass plain values.',
};

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
  // Feature boundaries (ARCHITECTURE.md, conventions 12 and 13). Flat config REPLACES a rule's options per
  // matching object instead of merging them, so each object below repeats every restriction its files need.
  {
    name: 'feature-boundaries',
    files: ['libs/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    ignores: ['**/*.entity.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: BOUNDARY_PATTERNS }] },
  },
  {
    // Services, repositories and stores read the caller from the request context (currentRequest() in
    // @crescendo/platform), never from Fastify's types; controllers pass plain values. Exempt, HTTP-bound by
    // nature: the OAuth service and its state store run Passport on the request, the lead import and the studio
    // upload stream the multipart body.
    name: 'no-fastify-in-domain',
    files: ['libs/**/*.service.ts', 'libs/**/*.repository.ts', 'libs/**/*.store.ts', 'libs/demo/src/demo-seeder.ts'],
    ignores: [
      'libs/platform/**',
      'libs/identity/src/auth/oauth/oauth.service.ts',
      'libs/identity/src/auth/oauth/oauth-state.store.ts',
      'libs/leads/src/import/leads-import.service.ts',
      'libs/studio/src/studio.service.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: BOUNDARY_PATTERNS, paths: [NO_FASTIFY] }] },
  },
  {
    // The platform is mechanism only: it never imports a feature.
    name: 'platform-without-features',
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
