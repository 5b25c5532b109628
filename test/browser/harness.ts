/**
 * What every browser test shares: Chromium through playwright-core, named steps with timings, the
 * page problems (page errors, console errors, 5xx answers) that fail a run, and the sign-up path.
 */
import { chromium, type Browser, type BrowserContextOptions, type Page, type Request } from 'playwright-core';

export const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
export const timeout = 15_000;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const clientAddress = `127.${[0, 0, 0].map(() => 1 + Math.floor(Math.random() * 254)).join('.')}`;

export type Step = [string, () => Promise<void>];

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Polls until `probe` answers true (text that settles after a request, for example). */
export async function eventually(
  probe: () => Promise<boolean>,
  message: string | (() => string),
  within = timeout,
): Promise<void> {
  const deadline = Date.now() + within;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(typeof message === 'string' ? message : message());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** The API requests under way of each watched page, streams aside (they stay open as long as the page). */
const apiRequests = new WeakMap<Page, Set<Request>>();
const isApiCall = (request: Request) =>
  request.url().startsWith(`${baseUrl}/api/`) && request.headers().accept !== 'text/event-stream';

/** What the SPA shows while a page's data is on its way: its Loading line, Mantine's skeletons and loaders. */
const LOADING = '[data-testid="loading"], .mantine-Skeleton-root, .mantine-Loader-root, [aria-busy="true"]';

/**
 * Waits until `page` shows its data: nothing on it says it is loading and none of its API calls is under way
 * (a query that renders nothing while it loads shows only in the latter).
 */
export async function settled(page: Page): Promise<void> {
  const requests = apiRequests.get(page);
  if (!requests) throw new Error('settled(): the page is not watched by a BrowserRun');
  let loading = 0;
  await eventually(
    async () => {
      loading = await page.locator(LOADING).count();
      return loading === 0 && requests.size === 0;
    },
    () =>
      `the page is still loading: ${loading} loading indicators, calls under way: ${[...requests].map((r) => r.url()).join(', ')}`,
  );
}

/** The texts of the toasts on screen. */
const toasts = async (page: Page) =>
  (await page.locator('.mantine-Notification-description').allTextContents()).map((t) => t.trim());

/**
 * `save` saves the preferences; its toast then appears in `language` (the one just chosen), and no new toast
 * speaks the language before. Counted against the toasts already on screen, which may still show an older save.
 */
export async function preferencesToastIn(page: Page, language: 'en' | 'fr', save: () => Promise<void>): Promise<void> {
  const [expected, old] =
    language === 'fr'
      ? ['Préférences enregistrées.', 'Preferences saved.']
      : ['Preferences saved.', 'Préférences enregistrées.'];
  const count = async (text: string) => (await toasts(page)).filter((t) => t === text).length;
  const [expectedBefore, oldBefore] = [await count(expected), await count(old)];
  await save();
  await eventually(
    async () => (await count(expected)) > expectedBefore,
    `no "${expected}" toast: ${await toasts(page)}`,
  );
  check((await count(old)) <= oldBefore, `a toast speaks the language before: ${await toasts(page)}`);
}

export const newUser = (label: string) => {
  const runId = Math.random().toString(36).slice(2, 10);
  return {
    name: `${label} Tester`,
    email: `${label.toLowerCase()}-${runId}@crescendo.test`,
    password: 'correct-horse-battery',
  };
};

export class BrowserRun {
  passed = 0;
  failed = 0;
  readonly problems: string[] = [];
  private browser?: Browser;

  async open(): Promise<Page> {
    this.browser = await chromium.launch({
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
    return this.newPage();
  }

  /** A page in a context of its own (no cookies shared with the others), watched like the first. */
  async newPage(options: BrowserContextOptions = {}): Promise<Page> {
    if (!this.browser) throw new Error('open() first');
    const context = await this.browser.newContext({
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
      // the API trusts the proxy header in these runs: each test file signs up from its own
      // loopback address, so the suite stays under the per-address sign-up limit
      extraHTTPHeaders: { 'X-Forwarded-For': clientAddress },
      ...options,
    });
    const page = await context.newPage();
    this.watch(page);
    return page;
  }

  /** Page errors, console errors and 5xx answers of `page` fail the run. */
  watch(page: Page): void {
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // failed fetches are judged by their status below, not by the browser's console line
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        this.problems.push(`console: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      // 4xx answers are part of the paths (401 before a refresh, 400 of invalid input); a 5xx never is
      if (response.status() >= 500) this.problems.push(`HTTP ${response.status()} ${response.url()}`);
    });
    const requests = new Set<Request>();
    apiRequests.set(page, requests);
    page.on('request', (request) => isApiCall(request) && requests.add(request));
    page.on('requestfinished', (request) => requests.delete(request));
    page.on('requestfailed', (request) => requests.delete(request));
  }

  async step(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.passed += 1;
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error) {
      this.failed += 1;
      console.log(
        `  ✗ ${name}\n    ${(error instanceof Error ? error.message : String(error)).split('\n').join('\n    ')}`,
      );
      return false;
    }
  }

  /** Runs steps in order and stops at the first failure (each one builds on the previous). */
  async steps(steps: Step[]): Promise<boolean> {
    for (const [name, body] of steps) {
      if (!(await this.step(name, body))) return false;
    }
    return true;
  }

  async checkProblems(): Promise<void> {
    await this.step('no page errors, console errors or 5xx answers', async () => {
      check(this.problems.length === 0, this.problems.join('\n'));
    });
  }

  fail(error: unknown): void {
    this.failed += 1;
    console.log(`  ✗ browser run: ${error instanceof Error ? error.message : String(error)}`);
  }

  async close(label: string): Promise<never> {
    await this.browser?.close();
    console.log(`${label}: ${this.passed} passed, ${this.failed} failed`);
    process.exit(this.failed > 0 || this.passed === 0 ? 1 : 0);
  }
}

/** Registers through the SPA, then signs in; ends on a signed-in page. */
export async function signUpAndIn(page: Page, user: { name: string; email: string; password: string }) {
  await page.goto(`${baseUrl}/#/register`);
  await byTestId(page, 'register-name').fill(user.name);
  await byTestId(page, 'register-email').fill(user.email);
  await byTestId(page, 'register-password').fill(user.password);
  await byTestId(page, 'register-submit').click();
  await byTestId(page, 'login-notice').waitFor();
  await byTestId(page, 'login-email').fill(user.email);
  await byTestId(page, 'login-password').fill(user.password);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'current-user').waitFor();
}
