import { AppConfig } from '@crescendo/platform';
import type { TestApp } from './test-app';

/**
 * Runs `work` with the instance switch WEBHOOKS_ALLOW_PRIVATE_URLS set to `allowed`, then puts it back. Tests only
 * ever store loopback or `.invalid` URLs, so a URL the guard accepts is stored by allowing private addresses; that
 * the guard accepts public ones is shown on their addresses as data (safe-http.spec.ts), without a request.
 * The config is read at each call, and the Slack URL validator reads the environment, so both are set.
 */
export async function withPrivateUrls<T>(t: TestApp, allowed: boolean, work: () => Promise<T>): Promise<T> {
  const env = t.app.get(AppConfig).env;
  const before = { config: env.WEBHOOKS_ALLOW_PRIVATE_URLS, process: process.env.WEBHOOKS_ALLOW_PRIVATE_URLS };
  env.WEBHOOKS_ALLOW_PRIVATE_URLS = allowed;
  process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = String(allowed);
  try {
    return await work();
  } finally {
    env.WEBHOOKS_ALLOW_PRIVATE_URLS = before.config;
    if (before.process === undefined) delete process.env.WEBHOOKS_ALLOW_PRIVATE_URLS;
    else process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = before.process;
  }
}
