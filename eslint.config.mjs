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
const NO_FASTIFY_MESSAGE =
  'Domain code reads the request through currentRequest() (@crescendo/platform); controllers pass plain values ' +
  '(multipartBody(request) for an upload).';
const NO_FASTIFY = { name: 'fastify', message: NO_FASTIFY_MESSAGE };
const NO_FASTIFY_PLUGINS = { group: ['@fastify/*'], message: NO_FASTIFY_MESSAGE };

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
    // Entities included: a relation to another feature's table names its entity by string ('WorkspaceEntity').
    files: ['libs/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: BOUNDARY_PATTERNS }] },
  },
  {
    // A barrel exports the module, services, DTOs and the event/job payload types; never an entity or repository.
    name: 'barrels-without-entities',
    files: ['libs/*/src/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ExportAllDeclaration[source.value=/\\.(entity|repository)$/], ExportNamedDeclaration[source.value=/\\.(entity|repository)$/]',
          message:
            "A feature's barrel never exports its entity or repository files: move shared enums to <feature>.types.ts.",
        },
        {
          selector: 'ExportSpecifier[exported.name=/(Entity|Repository)$/]',
          message: "A feature's barrel never exports its entities or repositories.",
        },
      ],
    },
  },
  {
    // Services, repositories and stores read the caller from the request context (currentRequest() in
    // @crescendo/platform), never from Fastify's types; controllers pass plain values: an upload as
    // multipartBody(request), the OAuth routes the request as identity's OAuthRequest.
    name: 'no-fastify-in-domain',
    files: ['libs/**/*.service.ts', 'libs/**/*.repository.ts', 'libs/**/*.store.ts', 'libs/demo/src/demo-seeder.ts'],
    ignores: ['libs/platform/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...BOUNDARY_PATTERNS, NO_FASTIFY_PLUGINS], paths: [NO_FASTIFY] }],
    },
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
