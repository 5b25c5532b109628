/**
 * Browser test of bulk actions on the leads list, run by scripts/test-browser.sh against the live API:
 * 530 leads are imported, the 500 of one source are filtered, selected ("all matching") and moved
 * to another status in one POST /api/leads/bulk; two are deleted and brought back with undo, one bulk
 * request each. Also: a lead created with the
 * keyboard only. Subscribers are paused and campaigns deleted in bulk; in the fan inbox, opening a
 * conversation reads it, the composer writes as the creator, and the others are marked read in bulk.
 */
import type { Page } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';

const screenshotPath = process.env.BULK_SCREENSHOT_PATH ?? '/tmp/crescendo-bulk.png';
const user = newUser('Bulk');
const run = Date.now() % 100000;

let token: string | null = null;
/** A call to the API as the signed-in user (records the test needs, made without the UI). */
async function api(page: Page, method: string, path: string, body?: unknown): Promise<unknown> {
  if (!token) {
    const refreshed = await page.request.post(`${baseUrl}/api/auth/refresh`, { data: {} });
    check(refreshed.ok(), `refresh answered ${refreshed.status()}`);
    token = ((await refreshed.json()) as { accessToken: string }).accessToken;
  }
  const response = await page.request.fetch(`${baseUrl}${path}`, {
    method,
    data: body,
    headers: { Authorization: `Bearer ${token}` },
  });
  check(response.ok(), `${method} ${path} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}

/** The lead writes the page sends while `action` runs ("POST /api/leads/bulk", "PUT /api/leads/:id"…). */
async function leadWrites(page: Page, action: () => Promise<void>): Promise<string[]> {
  const writes: string[] = [];
  const listener = (request: { method(): string; url(): string }) => {
    const path = new URL(request.url()).pathname;
    if (request.method() !== 'GET' && path.startsWith('/api/leads')) {
      writes.push(`${request.method()} ${path.replace(/[0-9a-f-]{36}/g, ':id')}`);
    }
  };
  page.on('request', listener);
  try {
    await action();
  } finally {
    page.off('request', listener);
  }
  return writes;
}

/** The total the pager reports ("1–20 of 500"). */
async function listTotal(page: Page): Promise<number> {
  const summary = byTestId(page, 'pagination-summary');
  await summary.waitFor();
  return Number(/(\d+)\s*$/.exec(((await summary.textContent()) ?? '').trim())?.[1] ?? NaN);
}

async function waitForTotal(page: Page, expected: number, message: string): Promise<void> {
  let last = NaN;
  await eventually(async () => {
    last = await listTotal(page);
    return last === expected;
  }, `${message}: the list counts ${last}, expected ${expected}`);
}

async function main(browser: BrowserRun): Promise<void> {
  try {
    const page = await browser.open();
    const steps: Step[] = [
      [
        'a CSV of 530 leads (500 from one source) is imported',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'nav-leads').click();
          await byTestId(page, 'leads-empty').waitFor();
          const rows = ['name,email,source'];
          for (let i = 0; i < 530; i += 1) {
            rows.push(`Lead ${i},lead-${run}-${i}@example.com,${i < 500 ? 'webinar' : 'referral'}`);
          }
          await byTestId(page, 'lead-import-open').click();
          await byTestId(page, 'import-file').setInputFiles({
            name: 'leads.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(rows.join('\n')),
          });
          await byTestId(page, 'import-mapping').waitFor();
          const targets = byTestId(page, 'import-target');
          for (const [i, target] of ['name', 'email', 'source'].entries()) await targets.nth(i).selectOption(target);
          await byTestId(page, 'import-submit').click();
          await page.locator('[data-testid="job"][data-status="COMPLETED"]').waitFor({ timeout: 90_000 });
        },
      ],
      [
        'filtering by source and selecting the page, then "all matching", selects the 500',
        async () => {
          await page.goto(`${baseUrl}/#/leads?source=webinar`);
          await waitForTotal(page, 500, 'the filter');
          await byTestId(page, 'select-page').check();
          await eventually(
            async () => (await byTestId(page, 'bulk-count').textContent())?.includes('20') ?? false,
            'the page is not selected',
          );
          await byTestId(page, 'bulk-select-all').click();
          await eventually(
            async () => (await byTestId(page, 'bulk-count').textContent())?.includes('500') ?? false,
            'the 500 matching leads are not selected',
          );
        },
      ],
      [
        'changing the status of the 500 takes one bulk request, then the list reflects it',
        async () => {
          await byTestId(page, 'bulk-status').selectOption('qualified');
          const writes = await leadWrites(page, async () => {
            await byTestId(page, 'bulk-status-apply').click();
            await byTestId(page, 'bulk-bar').waitFor({ state: 'detached', timeout: 120_000 });
          });
          check(writes.join() === 'POST /api/leads/bulk', `the status change sent: ${writes.join(', ')}`);
          await page.getByText('500 items updated.').waitFor();
          await page.goto(`${baseUrl}/#/leads?status=qualified`);
          await waitForTotal(page, 500, 'qualified leads');
          await page.goto(`${baseUrl}/#/leads?status=new`);
          await waitForTotal(page, 30, 'leads left new');
        },
      ],
      [
        'deleting two selected leads offers an undo that brings them back',
        async () => {
          await page.goto(`${baseUrl}/#/leads?source=referral`);
          await waitForTotal(page, 30, 'referral leads');
          const boxes = byTestId(page, 'select-row');
          await boxes.nth(0).check();
          await boxes.nth(1).check();
          await byTestId(page, 'bulk-delete').click();
          const deletes = await leadWrites(page, async () => {
            await byTestId(page, 'bulk-delete-confirm').click();
            await byTestId(page, 'bulk-deleted').waitFor();
          });
          check(deletes.join() === 'POST /api/leads/bulk', `the delete sent: ${deletes.join(', ')}`);
          await waitForTotal(page, 28, 'after the delete');
          const restores = await leadWrites(page, async () => {
            await byTestId(page, 'bulk-undo').click();
            await waitForTotal(page, 30, 'after the undo');
          });
          check(restores.join() === 'POST /api/leads/bulk', `the undo sent: ${restores.join(', ')}`);
          await page.getByText('2 items restored.').waitFor();
          await page.screenshot({ path: screenshotPath, fullPage: true });
        },
      ],
      [
        'a lead is created with the keyboard only, after a human message on the missing name',
        async () => {
          await page.goto(`${baseUrl}/#/leads`);
          await page.reload(); // a fresh document: the focus starts at its top
          await byTestId(page, 'lead-row').first().waitFor();
          await page.keyboard.press('Tab');
          await page.keyboard.press('Enter'); // the skip link: the focus moves to the content
          let reached = false;
          for (let i = 0; i < 15 && !reached; i += 1) {
            await page.keyboard.press('Tab');
            reached = (await page.evaluate('document.activeElement?.dataset.testid')) === 'lead-new';
          }
          check(reached, 'Tab never reached the "New lead" button');
          await page.keyboard.press('Enter');
          await byTestId(page, 'lead-form').waitFor();
          check(
            (await page.evaluate('document.activeElement?.dataset.testid')) === 'lead-name',
            'the form does not focus its first field',
          );
          // the name is marked required; submitting without it names the field in words
          await byTestId(page, 'lead-form').locator('[data-testid="required-name"]').waitFor();
          await page.keyboard.press('Enter');
          const error = byTestId(page, 'lead-form').locator('[data-testid="error-name"]');
          await error.waitFor();
          check(
            (await error.textContent())?.trim() === 'This field is required.',
            `the name error reads: ${await error.textContent()}`,
          );
          const general = (await byTestId(page, 'lead-form-error').textContent()) ?? '';
          check(!general.includes('Invalid input'), `the form error reads: ${general}`);
          await byTestId(page, 'lead-name').focus();
          await page.keyboard.type('Keyboard Only');
          await page.keyboard.press('Enter');
          await byTestId(page, 'lead-created').waitFor();
          await byTestId(page, 'lead-row').filter({ hasText: 'Keyboard Only' }).waitFor();
        },
      ],
      [
        'subscribers: two selected rows are paused in bulk',
        async () => {
          for (const handle of ['bulk_one', 'bulk_two', 'bulk_three']) {
            await api(page, 'POST', '/api/onlyfans/subscribers', { platform: 'onlyfans', handle, monthlyPrice: 999 });
          }
          await page.goto(`${baseUrl}/#/subscribers`);
          await byTestId(page, 'subscriber-row').nth(2).waitFor();
          const rows = byTestId(page, 'subscriber-row');
          await rows.filter({ hasText: 'bulk_one' }).locator('[data-testid="select-row"]').check();
          await rows.filter({ hasText: 'bulk_two' }).locator('[data-testid="select-row"]').check();
          await byTestId(page, 'bulk-status').selectOption('paused');
          await byTestId(page, 'bulk-status-apply').click();
          await eventually(
            async () => (await rows.filter({ hasText: 'Paused' }).count()) === 2,
            'the two subscribers are not paused',
          );
          check(
            !((await rows.filter({ hasText: 'bulk_three' }).textContent()) ?? '').includes('Paused'),
            'an unselected subscriber was paused',
          );
        },
      ],
      [
        'campaigns: two selected campaigns are deleted in bulk',
        async () => {
          for (const name of ['Bulk A', 'Bulk B', 'Bulk C']) {
            await api(page, 'POST', '/api/campaigns', { name, type: 'email' });
          }
          await page.goto(`${baseUrl}/#/campaigns`);
          const rows = byTestId(page, 'campaign-row');
          await rows.nth(2).waitFor();
          await rows.filter({ hasText: 'Bulk A' }).locator('[data-testid="select-row"]').check();
          await rows.filter({ hasText: 'Bulk B' }).locator('[data-testid="select-row"]').check();
          await byTestId(page, 'bulk-delete').click();
          await byTestId(page, 'bulk-delete-confirm').click();
          await eventually(async () => (await rows.count()) === 1, 'the two campaigns are still listed');
          check(((await rows.textContent()) ?? '').includes('Bulk C'), 'the wrong campaign is left');
        },
      ],
      [
        'inbox: opening a conversation clears its unread count, and the composer writes as the creator',
        async () => {
          for (const fanHandle of ['fan_x', 'fan_y', 'fan_z']) {
            await api(page, 'POST', '/api/chatbot/conversations', {
              platform: 'onlyfans',
              fanHandle,
              direction: 'inbound',
              body: 'Hello there',
            });
          }
          await byTestId(page, 'nav-inbox').click();
          const item = (handle: string) => byTestId(page, 'inbox-item').filter({ hasText: handle });
          await item('fan_x').locator('[data-testid="inbox-unread"]').waitFor();
          await item('fan_x').click();
          await byTestId(page, 'inbox-messages').waitFor();
          check(
            (await byTestId(page, 'inbox-direction').inputValue()) === 'outbound',
            'the composer writes as the fan',
          );
          await item('fan_x').locator('[data-testid="inbox-unread"]').waitFor({ state: 'detached' });
          check((await item('fan_y').locator('[data-testid="inbox-unread"]').count()) === 1, 'fan_y was read too');
        },
      ],
      [
        'inbox: the other conversations are marked read in bulk',
        async () => {
          await byTestId(page, 'select-page').check();
          await byTestId(page, 'bulk-mark-read').click();
          await eventually(
            async () => (await byTestId(page, 'inbox-unread').count()) === 0,
            'some conversations are still unread',
          );
        },
      ],
    ];
    await browser.steps(steps);
    console.log(`  screenshot: ${screenshotPath}`);
    await browser.checkProblems();
  } catch (error) {
    browser.fail(error);
  }
}

const browser = new BrowserRun();
void main(browser).finally(() => browser.close('bulk'));
