/**
 * Browser test of the SPA's main path, run by scripts/test-browser.sh against a live API that
 * serves the built SPA: register → log in → create an API key → see it listed → reload the page
 * and keep the session through the refresh cookie. Plain TypeScript (ts-node), no test runner.
 */
import { BrowserRun, baseUrl, byTestId, check, newUser, timeout, type Step } from './harness';

const screenshotPath = process.env.SCREENSHOT_PATH ?? '/tmp/crescendo-spa.png';
const user = newUser('Browser');

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    let secret = '';
    const steps: Step[] = [
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

    const ok = await run.steps(steps);
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`  screenshot: ${screenshotPath}`);

    // The other signed-in pages render, and a key can be revoked after confirming.
    const more: Step[] = [
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
          check((await row.textContent())?.includes('Owner'), 'the owner role is not shown');
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
      for (const [name, body] of more) await run.step(name, body);
    }
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('browser'));
