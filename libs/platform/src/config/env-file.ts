import { existsSync } from 'node:fs';

/** Loads `.env` for local runs; variables already in the environment win. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
