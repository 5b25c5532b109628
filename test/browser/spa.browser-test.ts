/**
 * Browser test of the SPA's main path, run by scripts/test-browser.sh against a live API that
 * serves the built SPA: register → log in → create an API key → see it listed → reload the page
 * and keep the session through the refresh cookie. Plain TypeScript (ts-node), no test runner.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotPath = process.env.SCREENSHOT_PATH ?? '/tmp/crescendo-spa.png';
const timeout = 15_000;

const runId = Math.random().toString(36).slice(2, 10);
const user = { name: 'Browser Tester', email: `browser-${runId}@crescendo.test`, password: 'correct-horse-battery' };

let passed = 0;
let failed = 0;

async function step(name: string, body: () => Promise<void>): Promise<boolean> {
  const started = Date.now();
  try {
    await body();
    passed += 1;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    return true;
  } catch (error) {
    failed += 1;
    console.log(
      `  ✗ ${name}\n    ${(error instanceof Error ? error.message : String(error)).split('\n').join('\n    ')}`,
    );
    return false;
  }
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function main(): Promise<void> {
  let browser: Browser | undefined;
  const problems: string[] = [];
  try {
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // failed fetches are judged by their status below, not by the browser's console line
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      // 4xx answers are part of the path (401 before a refresh, the 400 of a short password,
      // 404 from routes not deployed yet); a 5xx never is
      if (response.status() >= 500) problems.push(`HTTP ${response.status()} ${response.url()}`);
    });

    let secret = '';
    const steps: [string, () => Promise<void>][] = [
      [
        'the SPA is served at / and an anonymous visitor lands on the login page',
        async () => {
          await page.goto(`${baseUrl}/`);
          await byTestId(page, 'login-submit').waitFor();
          check(page.url().includes('#/login'), `expected #/login, got ${page.url()}`);
        },
      ],
      [
        'registration shows the API field error next to a too-short password',
        async () => {
          await page.goto(`${baseUrl}/#/register`);
          await byTestId(page, 'register-name').fill(user.name);
          await byTestId(page, 'register-email').fill(user.email);
          await byTestId(page, 'register-password').fill('short');
          await byTestId(page, 'register-submit').click();
          const error = byTestId(page, 'error-password');
          await error.waitFor();
          check((await error.textContent())?.trim(), 'the password error is empty');
        },
      ],
      [
        'register creates the account and sends the user to sign in',
        async () => {
          await byTestId(page, 'register-password').fill(user.password);
          await byTestId(page, 'register-submit').click();
          await byTestId(page, 'login-notice').waitFor();
          check(page.url().includes('#/login'), `expected #/login, got ${page.url()}`);
        },
      ],
      [
        'log in opens the app with the user in the layout',
        async () => {
          await byTestId(page, 'login-email').fill(user.email);
          await byTestId(page, 'login-password').fill(user.password);
          await byTestId(page, 'login-submit').click();
          await byTestId(page, 'current-user').waitFor();
          const shown = await byTestId(page, 'current-user').textContent();
          check(shown?.includes(user.name), `expected ${user.name} in the layout, got ${shown}`);
        },
      ],
      [
        'create an API key with a scope: the secret is shown once',
        async () => {
          await byTestId(page, 'nav-api-keys').click();
          await byTestId(page, 'apikey-form').waitFor();
          await byTestId(page, 'apikeys-empty').waitFor();
          await byTestId(page, 'apikey-name').fill('Browser key');
          await byTestId(page, 'apikey-scope-leads:read').check();
          await byTestId(page, 'apikey-create').click();
          await byTestId(page, 'apikey-secret').waitFor();
          secret = ((await byTestId(page, 'apikey-secret').textContent()) ?? '').trim();
          check(secret.length >= 20, `the secret looks wrong: "${secret}"`);
          await byTestId(page, 'apikey-copy').waitFor();
        },
      ],
      [
        'the key is listed with its prefix and scope',
        async () => {
          const row = byTestId(page, 'apikey-row').filter({ hasText: 'Browser key' });
          await row.waitFor();
          const prefix = ((await row.locator('[data-testid="apikey-prefix"]').textContent()) ?? '').replace('…', '');
          check(prefix.length >= 4 && secret.startsWith(prefix), `prefix "${prefix}" is not the start of the secret`);
          check((await row.textContent())?.includes('leads:read'), 'the scope is not shown');
        },
      ],
      [
        'a reload keeps the session through the refresh cookie',
        async () => {
          const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'), { timeout });
          await page.reload();
          const refresh = await refreshed;
          check(refresh.status() === 200, `refresh answered ${refresh.status()}`);
          await byTestId(page, 'current-user').waitFor();
          check(page.url().includes('#/api-keys'), `expected to stay on #/api-keys, got ${page.url()}`);
          await byTestId(page, 'apikey-row').filter({ hasText: 'Browser key' }).waitFor();
          check((await byTestId(page, 'apikey-secret').count()) === 0, 'the secret is shown again after a reload');
        },
      ],
    ];

    let ok = true;
    for (const [name, body] of steps) {
      if (!(await step(name, body))) {
        ok = false;
        break;
      }
    }
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`  screenshot: ${screenshotPath}`);

    // The other signed-in pages render, and a key can be revoked after confirming.
    const more: [string, () => Promise<void>][] = [
      [
        'users & roles: two 401s share one refresh, then the owner and the roles table show',
        async () => {
          // Both first requests of the page answer 401 as if the access token had expired: the
          // client must refresh once for the two, retry them, and show the page as if nothing happened.
          const expired = new Set<string>();
          for (const pattern of ['**/api/users?*', '**/api/roles']) {
            await page.route(pattern, async (route) => {
              if (expired.has(pattern)) return route.continue();
              expired.add(pattern);
              await route.fulfill({
                status: 401,
                contentType: 'application/json',
                body: JSON.stringify({
                  statusCode: 401,
                  error: 'Unauthorized',
                  code: 'INVALID_TOKEN',
                  message: 'The access token has expired',
                  details: [],
                  requestId: 'browser-test',
                }),
              });
            });
          }
          let refreshes = 0;
          const countRefresh = (r: { url(): string }) => {
            if (r.url().endsWith('/api/auth/refresh')) refreshes += 1;
          };
          page.on('request', countRefresh);
          await byTestId(page, 'nav-users').click();
          const row = byTestId(page, 'user-row').filter({ hasText: user.email });
          await row.waitFor();
          check((await row.textContent())?.includes('owner'), 'the owner role is not shown');
          await byTestId(page, 'roles-table').waitFor();
          page.off('request', countRefresh);
          await page.unrouteAll();
          check(expired.size === 2, `expected both requests to get a 401 first, got ${expired.size}`);
          check(refreshes === 1, `expected one shared refresh for the two 401s, got ${refreshes}`);
          await page.screenshot({ path: screenshotPath.replace(/\.png$/, '-users.png'), fullPage: true });
        },
      ],
      [
        'profile & settings shows the profile and password forms',
        async () => {
          await byTestId(page, 'nav-profile').click();
          await byTestId(page, 'password-form').waitFor();
          await page.locator('[data-testid="profile-form"], [data-testid="profile-unavailable"]').first().waitFor();
          await page.screenshot({ path: screenshotPath.replace(/\.png$/, '-profile.png'), fullPage: true });
        },
      ],
      [
        'revoking a key asks for confirmation, then removes it from the list',
        async () => {
          await byTestId(page, 'nav-api-keys').click();
          const row = byTestId(page, 'apikey-row').filter({ hasText: 'Browser key' });
          await row.locator('[data-testid="apikey-revoke"]').click();
          await row.locator('[data-testid="apikey-revoke-confirm"]').click();
          await byTestId(page, 'apikeys-empty').waitFor();
        },
      ],
    ];
    if (ok) {
      for (const [name, body] of more) await step(name, body);
    }
    await step('no page errors, console errors or 5xx answers', async () => {
      check(problems.length === 0, problems.join('\n'));
    });
  } catch (error) {
    failed += 1;
    console.log(`  ✗ browser run: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await browser?.close();
  }
}

main().finally(() => {
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
});
