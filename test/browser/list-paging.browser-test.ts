/**
 * Browser test of cursor paging, run by scripts/test-browser.sh against the live API
 * (BROWSER_TESTS=test/browser/list-paging.browser-test.ts bash scripts/test-browser.sh): the leads list, filtered
 * by status in the URL, pages forwards and back by cursor; the cursor is in the URL beside the filter, so a
 * reload shows the same page; the team members and API keys page the same way; the owner picker finds a member
 * beyond the first hundred by a search; a total beyond the API's exact cap reads "10,000+" (in English and in French).
 * Leads are seeded with SQL in the signed-up user's workspace (25 000 of them for the estimate).
 */
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';

const screenshotPath = process.env.PAGING_SCREENSHOT_PATH ?? '/tmp/crescendo-list-paging.png';
const user = newUser('Paging');

/** The rows of the leads table (their text, the name first), in order. */
async function rows(page: Page): Promise<string[]> {
  return (await byTestId(page, 'lead-row').allTextContents()).map((t) => t.trim());
}

/** The rows once the table shows `count` of them, the first one being `first`. */
async function waitForRows(page: Page, first: string, count: number, message: string): Promise<string[]> {
  let seen: string[] = [];
  try {
    await eventually(async () => {
      seen = await rows(page);
      return seen.length === count && seen[0]?.includes(first);
    }, message);
  } catch {
    await page.screenshot({ path: screenshotPath.replace(/\.png$/, '-failed.png'), fullPage: true });
    throw new Error(
      `${message}: the table shows ${seen.length} rows from "${seen[0]}", expected ${count} from "${first}"`,
    );
  }
  return seen;
}

const summary = async (page: Page) => ((await byTestId(page, 'pagination-summary').textContent()) ?? '').trim();

async function main(browser: BrowserRun): Promise<void> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const page = await browser.open();
    let workspaceId = '';
    let page2: string[] = [];
    const steps: Step[] = [
      [
        '45 qualified and 10 new leads are seeded in the new workspace',
        async () => {
          await signUpAndIn(page, user);
          const { rows: found } = await db.query(
            `SELECT w.id FROM workspaces w JOIN users u ON u.id = w.owner_id WHERE u.email = $1`,
            [user.email],
          );
          workspaceId = found[0].id;
          // Newest first: "Paging 01" is the newest qualified lead, "Paging 45" the oldest.
          await db.query(
            `INSERT INTO leads (workspace_id, name, status, created_at)
             SELECT $1, 'Paging ' || lpad(i::text, 2, '0'), CASE WHEN i <= 45 THEN 'qualified' ELSE 'new' END,
                    timestamptz '2026-06-01' - make_interval(mins => i)
               FROM generate_series(1, 55) i`,
            [workspaceId],
          );
        },
      ],
      [
        'the filtered list pages forwards by cursor, the filter and the cursor in the URL',
        async () => {
          await page.goto(`${baseUrl}/#/leads?status=qualified`);
          await waitForRows(page, 'Paging 01', 20, 'first page');
          check((await summary(page)) === 'Total: 45', `the summary reads "${await summary(page)}"`);
          check(await byTestId(page, 'page-prev').isDisabled(), 'the first page offers a page before');
          await byTestId(page, 'page-next').click();
          page2 = await waitForRows(page, 'Paging 21', 20, 'second page');
          check(page2[19].includes('Paging 40'), `the second page ends with "${page2[19]}"`);
          const url = new URL(page.url().replace('#/', ''));
          check(url.searchParams.get('status') === 'qualified', `the filter left the URL: ${page.url()}`);
          check(!!url.searchParams.get('cursor'), `no cursor in the URL: ${page.url()}`);
        },
      ],
      [
        'a reload keeps the page and the filter',
        async () => {
          await page.reload();
          const again = await waitForRows(page, 'Paging 21', 20, 'after the reload');
          check(JSON.stringify(again) === JSON.stringify(page2), 'the reloaded page differs');
        },
      ],
      [
        'the last page, then back by cursor to the first',
        async () => {
          await byTestId(page, 'page-next').click();
          await waitForRows(page, 'Paging 41', 5, 'third page');
          check(await byTestId(page, 'page-next').isDisabled(), 'the last page offers a page after');
          await byTestId(page, 'page-prev').click();
          await waitForRows(page, 'Paging 21', 20, 'back to the second page');
          await byTestId(page, 'page-prev').click();
          await waitForRows(page, 'Paging 01', 20, 'back to the first page');
          check(await byTestId(page, 'page-prev').isDisabled(), 'the first page offers a page before');
          // Changing the filter starts again from the first page of the new filter.
          await page.goto(`${baseUrl}/#/leads?status=new`);
          await waitForRows(page, 'Paging 46', 10, 'the new leads');
        },
      ],
      [
        'the team members and the API keys page by cursor, 20 rows a page',
        async () => {
          // 24 members who joined after the owner (the list is by joining date) and 25 keys (newest first)
          await db.query(
            `WITH made AS (
               INSERT INTO users (email, name)
               SELECT 'member-' || md5(random()::text) || '@paging.test', 'Member ' || lpad(i::text, 2, '0')
                 FROM generate_series(1, 24) i
               RETURNING id, name)
             INSERT INTO memberships (workspace_id, user_id, role, created_at)
             SELECT $1, id, 'member', now() + make_interval(secs => right(name, 2)::int) FROM made`,
            [workspaceId],
          );
          await db.query(
            `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_at)
             SELECT $1, 'Key ' || lpad(i::text, 2, '0'), 'crk_' || left(md5(random()::text), 12),
                    md5(random()::text) || md5(random()::text), '{leads:read}', now() - make_interval(mins => i)
               FROM generate_series(1, 25) i`,
            [workspaceId],
          );
          for (const list of [
            { route: '/users', row: 'user-row', first: [user.name, 'Member 20'], last: 'Member 24' },
            { route: '/api-keys', row: 'apikey-row', first: ['Key 01', 'Key 21'], last: 'Key 25' },
          ]) {
            const names = async () => (await byTestId(page, list.row).allTextContents()).map((t) => t.trim());
            const showing = (first: string, count: number) => async () => {
              const seen = await names();
              return seen.length === count && seen[0].startsWith(first);
            };
            await page.goto(`${baseUrl}/#${list.route}`);
            await eventually(showing(list.first[0], 20), `${list.route}: first page (${await names()})`);
            check((await summary(page)) === 'Total: 25', `${list.route}: the summary reads "${await summary(page)}"`);
            await byTestId(page, 'page-next').click();
            await eventually(showing(list.first[1], 5), `${list.route}: second page (${await names()})`);
            check((await names())[4].startsWith(list.last), `${list.route}: the last page ends with ${await names()}`);
            check(await byTestId(page, 'page-next').isDisabled(), `${list.route}: the last page offers a page after`);
            await byTestId(page, 'page-prev').click();
            await eventually(showing(list.first[0], 20), `${list.route}: back to the first page (${await names()})`);
          }
        },
      ],
      [
        'the owner picker finds a member beyond the first hundred by what is typed, and saves them',
        async () => {
          // 130 more members, then the one to pick: the newest, last by name, far beyond a first page of 100
          await db.query(
            `WITH made AS (
               INSERT INTO users (email, name)
               SELECT 'owner-' || md5(random()::text) || '@paging.test', 'Owner ' || lpad(i::text, 3, '0')
                 FROM generate_series(1, 130) i
               RETURNING id)
             INSERT INTO memberships (workspace_id, user_id, role, created_at)
             SELECT $1, id, 'member', now() + interval '1 hour' FROM made`,
            [workspaceId],
          );
          const picked = await db.query(
            `WITH made AS (
               INSERT INTO users (email, name) VALUES ('zoe-' || md5(random()::text) || '@paging.test', 'Zoé Picked')
               RETURNING id)
             INSERT INTO memberships (workspace_id, user_id, role, created_at)
             SELECT $1, id, 'member', now() + interval '2 hours' FROM made RETURNING user_id`,
            [workspaceId],
          );
          const lead = await db.query(
            `INSERT INTO leads (workspace_id, name, status) VALUES ($1, 'Owned lead', 'new') RETURNING id`,
            [workspaceId],
          );
          const leadId: string = lead.rows[0].id;
          await page.goto(`${baseUrl}/#/leads/${leadId}`);
          const owner = byTestId(page, 'edit-owner');
          await owner.click();
          await owner.fill('zoé');
          await page.getByRole('option', { name: 'Zoé Picked' }).click();
          await byTestId(page, 'lead-save').click();
          const ownerId = async () =>
            (await db.query('SELECT owner_id FROM leads WHERE id = $1', [leadId])).rows[0].owner_id as string | null;
          await eventually(async () => (await ownerId()) === picked.rows[0].user_id, 'the owner was not saved');
          // after a reload the field names the owner, fetched on its own (no search has run)
          await page.reload();
          await eventually(
            async () => (await owner.inputValue()) === 'Zoé Picked',
            `the owner field reads "${await owner.inputValue()}"`,
          );
        },
      ],
      [
        'a total beyond the exact cap reads "10,000+" (and "plus de 10 000" in French)',
        async () => {
          await db.query(
            `INSERT INTO leads (workspace_id, name, status, created_at)
             SELECT $1, 'Bulk ' || i, 'lost', timestamptz '2026-01-01' - make_interval(secs => i)
               FROM generate_series(1, 25000) i`,
            [workspaceId],
          );
          await db.query('ANALYZE leads');
          await page.goto(`${baseUrl}/#/leads?status=lost`);
          await waitForRows(page, 'Bulk 1', 20, 'the lost leads');
          await eventually(async () => (await summary(page)) === 'Total: 10,000+', `summary: ${await summary(page)}`);
          await page.screenshot({ path: screenshotPath, fullPage: true });
          // The signed-in user's saved language wins over the browser's: save French, as the profile page does.
          const refreshed = await page.request.post(`${baseUrl}/api/auth/refresh`, { data: {} });
          const { accessToken } = (await refreshed.json()) as { accessToken: string };
          const saved = await page.request.put(`${baseUrl}/api/management/settings`, {
            data: { language: 'fr' },
            headers: { Authorization: `Bearer ${accessToken}` },
          });
          check(saved.ok(), `saving the language answered ${saved.status()}: ${await saved.text()}`);
          await page.reload();
          // French groups thousands with a narrow no-break space.
          await eventually(
            async () => /^Total : plus de 10\s000$/u.test(await summary(page)),
            `French summary: ${await summary(page)}`,
          );
        },
      ],
    ];
    await browser.steps(steps);
    console.log(`  screenshot: ${screenshotPath} (base ${baseUrl})`);
  } catch (error) {
    browser.fail(error);
  } finally {
    await db.end();
  }
  await browser.checkProblems();
}

const browser = new BrowserRun();
void main(browser).then(() => browser.close('list paging'));
