/**
 * Browser test of the analytics dashboard, run by scripts/test-browser.sh against the live API and worker: a
 * workspace filled by `npm run seed:demo` opens on the dashboard, whose KPI tiles and every chart render with
 * data; a lead converted through the API (as another member would) makes a notification appear in the header's
 * bell without a reload (worker → Redis → the API's SSE stream); the notifications page lists it and marks all
 * read. Screenshots: desktop, a 390 px phone, dark mode.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page, Request } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, settled, type Step } from './harness';

const shots = process.env.DASHBOARD_SCREENSHOT_DIR ?? '/tmp';
const user = newUser('Dashboard');

/** Fills the user's workspace as `npm run seed:demo` does (the same database as the API under test). */
async function seedDemo(): Promise<void> {
  await promisify(execFile)(
    'npx',
    [
      'ts-node',
      '-r',
      'tsconfig-paths/register',
      'scripts/seed-demo.ts',
      '--email',
      user.email,
      '--password',
      user.password,
    ],
    { env: process.env, timeout: 240_000 },
  );
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await byTestId(page, 'login-email').fill(user.email);
  await byTestId(page, 'login-password').fill(user.password);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'current-user').waitFor();
}

/** Each chart panel holds recharts' shapes with a size (a chart without data draws none). */
const charts: [string, string][] = [
  ['chart-funnel', '.recharts-funnel-trapezoid'],
  ['chart-revenue', '.recharts-bar-rectangle'],
  ['chart-campaigns', '.recharts-bar-rectangle'],
  ['chart-niches', '.recharts-bar-rectangle'],
  ['chart-ai', '.recharts-pie-sector'],
];

/**
 * Waits until the dashboard's data has come and each chart has drawn shapes with a size (Mantine's charts draw
 * without animation: drawn is final).
 */
async function chartsDrawn(page: Page, label = ''): Promise<void> {
  await settled(page);
  for (const [panel, shape] of charts) {
    const shapes = byTestId(page, panel).locator(shape).filter({ visible: true });
    await eventually(async () => (await shapes.count()) > 0, `${label}${panel}: no ${shape} drawn`);
  }
}

async function api<T = any>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    const openStreams = new Set<Request>();
    const isStream = (request: Request) => request.url().endsWith('/api/notifications/stream');
    page.on('request', (request) => isStream(request) && openStreams.add(request));
    page.on('requestfinished', (request) => openStreams.delete(request));
    page.on('requestfailed', (request) => openStreams.delete(request));
    let token = '';
    const unread = async () => Number(await byTestId(page, 'notifications-bell').getAttribute('data-unread'));
    const steps: Step[] = [
      [
        'seed:demo fills a new workspace; its owner signs in on the dashboard',
        async () => {
          await seedDemo();
          await signIn(page);
          await byTestId(page, 'dashboard').waitFor();
          const login = await fetch(`${baseUrl}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
            body: JSON.stringify({ email: user.email, password: user.password }),
          });
          token = ((await login.json()) as { accessToken: string }).accessToken;
          check(token, 'no access token');
        },
      ],
      [
        'KPI tiles show figures with their change against the previous period',
        async () => {
          for (const kpi of ['kpi-leads', 'kpi-revenue', 'kpi-enrollments', 'kpi-ai']) {
            await byTestId(page, `${kpi}-value`).waitFor();
            await byTestId(page, `${kpi}-delta`).waitFor();
          }
          const leads = (await byTestId(page, 'kpi-leads-value').textContent()) ?? '';
          check(/[1-9]/.test(leads), `new leads shows ${leads}`);
          const revenue = (await byTestId(page, 'kpi-revenue-value').textContent()) ?? '';
          check(/[1-9]/.test(revenue), `revenue shows ${revenue}`);
        },
      ],
      [
        'every chart renders with data, the attribution table has rows',
        async () => {
          await byTestId(page, 'dashboard-preset').getByText('90', { exact: false }).click();
          try {
            await chartsDrawn(page);
            await eventually(async () => (await byTestId(page, 'attribution-row').count()) > 0, 'no attribution row');
          } catch (error) {
            await page.screenshot({ path: `${shots}/crescendo-dashboard-failed.png`, fullPage: true });
            throw error;
          }
          // the period control's indicator may still be sliding to "90 days": the picture shows where it ends
          await page.screenshot({ path: `${shots}/crescendo-dashboard.png`, fullPage: true, animations: 'disabled' });
        },
      ],
      [
        'a lead converted through the API shows in the bell without a reload',
        async () => {
          const before = await unread();
          const leads = await api<{ data: { id: string; name: string }[] }>(
            'GET',
            '/leads?limit=5&status=qualified',
            token,
          );
          const lead = leads.data[0];
          check(lead, 'no qualified lead in the demo data');
          await api('PUT', `/leads/${lead.id}`, token, { status: 'converted' });
          await eventually(async () => (await unread()) > before, 'the bell count did not move', 30_000);
          await byTestId(page, 'notifications-bell').click();
          const item = byTestId(page, 'notifications-dropdown').getByText(lead.name, { exact: false });
          await item.first().waitFor();
          await page.screenshot({ path: `${shots}/crescendo-dashboard-bell.png` });
          // the focus is still on the bell: Escape closes its dropdown from there too
          await page.keyboard.press('Escape');
          await byTestId(page, 'notifications-dropdown').waitFor({ state: 'hidden' });
        },
      ],
      [
        'the notifications page lists it and marks everything read',
        async () => {
          await page.goto(`${baseUrl}/#/notifications`);
          await byTestId(page, 'notifications-page').waitFor();
          await eventually(async () => (await byTestId(page, 'notification').count()) > 0, 'no notification listed');
          // one stream for the whole app, however many components show notifications (bell and page)
          check(openStreams.size === 1, `${openStreams.size} notification streams open`);
          await byTestId(page, 'mark-all-read').click();
          await eventually(async () => (await unread()) === 0, 'still unread after mark all read');
          // the page's list refetches after the mutation: wait for it rather than read the list it showed before
          await eventually(
            async () => (await page.locator('[data-testid="notification"][data-read="false"]').count()) === 0,
            'a notification is still unread',
          );
        },
      ],
      [
        'on a 390 px phone and in dark mode the dashboard still draws its charts',
        async () => {
          for (const [name, options] of [
            ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
            ['dark', { colorScheme: 'dark' as const }],
          ] as const) {
            const other = await run.newPage(options);
            await other.goto(`${baseUrl}/#/login`);
            await byTestId(other, 'login-email').fill(user.email);
            await byTestId(other, 'login-password').fill(user.password);
            await byTestId(other, 'login-submit').click();
            await byTestId(other, 'dashboard').waitFor();
            await chartsDrawn(other, `${name} `);
            const overflow = (await other.evaluate(
              'document.documentElement.scrollWidth - window.innerWidth',
            )) as number;
            check(overflow <= 1, `${name}: the page scrolls sideways by ${overflow}px`);
            await other.screenshot({ path: `${shots}/crescendo-dashboard-${name}.png`, fullPage: true });
            await other.context().close();
          }
        },
      ],
    ];
    await run.steps(steps);
  } catch (error) {
    run.fail(error);
  }
  await run.checkProblems();
}

const run = new BrowserRun();
void main(run).finally(() => run.close('dashboard'));
