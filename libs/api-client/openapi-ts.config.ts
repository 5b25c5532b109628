import { defineConfig } from '@hey-api/openapi-ts';

export default defineConfig({
  input: 'libs/api-client/openapi.json',
  output: { path: 'libs/api-client/src/generated', format: 'prettier' },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
});
