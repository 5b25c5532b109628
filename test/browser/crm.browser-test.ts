/**
 * Browser test of the CRM pages, run by scripts/test-browser.sh against the live API: a new account
 * creates a lead (after the API refused an invalid e-mail), finds it in the table, changes its
 * status in place, reads the status change on the lead's timeline, edits it, deletes and restores
 * it, then creates a niche and reads its figures and recommendations.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { BrowserRun, baseUrl, byTestId, check, newUser, eventually, signUpAndIn, type Step } from './harness';

const screenshotPath = process.env.CRM_SCREENSHOT_PATH ?? '/tmp/crescendo-crm.png';
const shot = (name: string) => screenshotPath.replace(/\.png$/, `${name}.png`);
const user = newUser('Crm');
const lead = { name: 'Ada Lovelace', email: `ada-${Date.now()}@example.com`, company: 'Analytical Engines' };
const niche = `Mathematicians ${Date.now() % 100000}`;
const campaign = `Spring launch ${Date.now() % 100000}`;

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    const leadRow = () => byTestId(page, 'lead-row').filter({ hasText: lead.name });
    const steps: Step[] = [
      [
        'a new account signs in and opens an empty leads page',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'nav-leads').click();
          await byTestId(page, 'leads-empty').waitFor();
        },
      ],
      [
        'the create form shows the API error next to an invalid e-mail',
        async () => {
          await byTestId(page, 'lead-new').click();
          await byTestId(page, 'lead-name').fill(lead.name);
          await byTestId(page, 'lead-email').fill('not-an-email');
          await byTestId(page, 'lead-submit').click();
          const error = byTestId(page, 'lead-form').locator('[data-testid="error-email"]');
          await error.waitFor();
          check((await error.textContent())?.trim(), 'the e-mail error is empty');
        },
      ],
      [
        'a valid lead is created and listed in the table',
        async () => {
          await byTestId(page, 'lead-email').fill(lead.email);
          await byTestId(page, 'lead-company').fill(lead.company);
          await byTestId(page, 'lead-score').fill('72');
          await byTestId(page, 'tags-input').fill('vip');
          await byTestId(page, 'tags-input').press('Enter');
          await byTestId(page, 'lead-submit').click();
          await byTestId(page, 'lead-created').waitFor();
          const row = leadRow();
          await row.waitFor();
          const text = (await row.textContent()) ?? '';
          check(text.includes(lead.company) && text.includes('vip') && text.includes('72'), `row shows: ${text}`);
          await byTestId(page, 'lead-new').click(); // closes the form
        },
      ],
      [
        'the status changes inline through PUT /api/leads/:id',
        async () => {
          const put = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/leads/'));
          await leadRow().locator('[data-testid="lead-status-select"]').selectOption('contacted');
          check((await put).status() === 200, 'the status update failed');
          const select = leadRow().locator('[data-testid="lead-status-select"]');
          await eventually(async () => (await select.inputValue()) === 'contacted', 'the row does not show contacted');
        },
      ],
      [
        'filters and the debounced search narrow the table; a bad score range shows the API error',
        async () => {
          await byTestId(page, 'filter-status').selectOption('qualified');
          await byTestId(page, 'leads-empty').waitFor();
          await byTestId(page, 'filter-status').selectOption('contacted');
          await leadRow().waitFor();
          await byTestId(page, 'filter-q').fill('nobody-matches-this');
          await byTestId(page, 'leads-empty').waitFor();
          await byTestId(page, 'filter-q').fill('lovelace');
          await leadRow().waitFor();
          check(page.url().includes('q=lovelace'), `the search is not in the URL: ${page.url()}`);
          await byTestId(page, 'filter-scoreMax').fill('150');
          await byTestId(page, 'lead-filters').locator('[data-testid="error-scoreMax"]').waitFor();
          await byTestId(page, 'filter-reset').click();
          await leadRow().waitFor();
          await page.screenshot({ path: screenshotPath, fullPage: true });
        },
      ],
      [
        'the lead detail shows the status_changed event on the timeline, newest first',
        async () => {
          await leadRow().locator('[data-testid="lead-link"]').click();
          await byTestId(page, 'timeline').waitFor();
          const events = byTestId(page, 'timeline-event');
          const first = events.first();
          check(
            (await first.getAttribute('data-type')) === 'status_changed',
            'the newest event is not the status change',
          );
          const label = (await first.textContent()) ?? '';
          check(label.includes('Status changed from New to Contacted'), `status event reads: ${label}`);
          check((await events.last().getAttribute('data-type')) === 'created', 'the oldest event is not the creation');
        },
      ],
      [
        'editing the lead (job title, tag, custom field) is saved and recorded',
        async () => {
          await byTestId(page, 'edit-jobTitle').fill('Analyst');
          await byTestId(page, 'tags-input').fill('math');
          await byTestId(page, 'tags-input').press('Enter');
          await byTestId(page, 'custom-add').click();
          await byTestId(page, 'custom-key').last().fill('budget');
          await byTestId(page, 'custom-value').last().fill('5000');
          await byTestId(page, 'lead-save').click();
          await byTestId(page, 'lead-saved').waitFor();
          const newest = (await byTestId(page, 'timeline-event').first().textContent()) ?? '';
          check(newest.includes('job title') && newest.includes('Analyst'), `the update event reads: ${newest}`);
          await page.reload();
          await byTestId(page, 'timeline').waitFor();
          check((await byTestId(page, 'edit-jobTitle').inputValue()) === 'Analyst', 'the job title was not kept');
          check(
            (await byTestId(page, 'custom-value').first().inputValue()) === '5000',
            'the custom field was not kept',
          );
          check(
            (await byTestId(page, 'tags-chip').allTextContents()).some((t) => t.includes('math')),
            'the tag was not kept',
          );
          await page.screenshot({ path: shot('-lead'), fullPage: true });
        },
      ],
      [
        'deleting from the detail page offers an undo on the list, which restores the lead',
        async () => {
          await byTestId(page, 'lead-detail-delete').click();
          await byTestId(page, 'lead-deleted').waitFor();
          await byTestId(page, 'leads-empty').waitFor();
          await byTestId(page, 'lead-undo').click();
          await leadRow().waitFor();
        },
      ],
      [
        'import: an XLSX header row is read in the browser for the column mapping',
        async () => {
          const workbook = new ExcelJS.Workbook();
          const sheet = workbook.addWorksheet('Leads');
          sheet.addRow(['Full name', 'E-mail', 'Société']);
          sheet.addRow(['Grace Hopper', 'grace@example.com', 'Navy']);
          const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
          await byTestId(page, 'lead-import-open').click();
          await byTestId(page, 'import-file').setInputFiles({
            name: 'leads.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            buffer: xlsx,
          });
          const mapping = byTestId(page, 'import-mapping');
          await mapping.waitFor();
          const text = (await mapping.textContent()) ?? '';
          check(text.includes('Société') && text.includes('Grace Hopper'), `the XLSX preview reads: ${text}`);
          check(
            (await byTestId(page, 'import-target').nth(1).inputValue()) === 'email',
            'E-mail is not mapped to email',
          );
        },
      ],
      [
        'import: a CSV with a custom mapping runs as a job; the result counts inserted, skipped and failed rows',
        async () => {
          const csv = [
            'Nom;Courriel;Entreprise;Budget;Score',
            'Alan Turing;alan@example.com;Bletchley;5000;80',
            'Katherine Johnson;katherine@example.com;NASA;;90',
            `Ada Again;${lead.email};Duplicate;;10`,
            'Bad Score;bad@example.com;Nowhere;;150',
          ].join('\n');
          await byTestId(page, 'import-file').setInputFiles({
            name: 'leads.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(csv),
          });
          await byTestId(page, 'import-mapping').filter({ hasText: 'Bletchley' }).waitFor();
          const targets = byTestId(page, 'import-target');
          for (const [i, target] of ['name', 'email', 'company', 'custom', 'score'].entries()) {
            await targets.nth(i).selectOption(target);
          }
          await byTestId(page, 'import-submit').click();
          const job = byTestId(page, 'job');
          await job.waitFor();
          // the worker may still be starting: the job waits in the queue
          await page.locator('[data-testid="job"][data-status="COMPLETED"]').waitFor({ timeout: 90_000 });
          const result = ((await byTestId(page, 'job-result').textContent()) ?? '').replace(/\s+/g, ' ');
          for (const figure of [/Inserted ?2/, /Skipped ?1/, /Failed ?1/]) {
            check(figure.test(result), `the result reads: ${result}`);
          }
          const report = byTestId(page, 'job-file').first();
          check(((await report.getAttribute('href')) ?? '').includes('signature='), 'the report link is not signed');
          await page.screenshot({ path: shot('-import'), fullPage: true });
          await byTestId(page, 'filter-q').fill('turing');
          await byTestId(page, 'lead-row').filter({ hasText: 'Alan Turing' }).waitFor();
          await byTestId(page, 'filter-reset').click();
        },
      ],
      [
        'export: the current filters give a CSV download of the matching leads only',
        async () => {
          await byTestId(page, 'filter-q').fill('lovelace');
          await byTestId(page, 'lead-row').filter({ hasText: lead.name }).waitFor();
          await eventually(async () => (await byTestId(page, 'lead-row').count()) === 1, 'the search did not apply');
          await byTestId(page, 'lead-export-open').click();
          const download = page.waitForEvent('download');
          await byTestId(page, 'lead-export-submit').click();
          const file = await download;
          check(/^leads-.*\.csv$/.test(file.suggestedFilename()), `file name: ${file.suggestedFilename()}`);
          const csv = await readFile(await file.path(), 'utf8');
          check(csv.includes(lead.name) && csv.includes(lead.email), 'the lead is not in the CSV');
          check(!csv.includes('Alan Turing'), 'the CSV ignores the search filter');
          await byTestId(page, 'lead-export-done').waitFor();
        },
      ],
      [
        'export: every lead (more than the sync limit of this run) becomes a job with a signed XLSX link',
        async () => {
          await byTestId(page, 'filter-reset').click();
          await byTestId(page, 'lead-row').filter({ hasText: 'Alan Turing' }).waitFor();
          await byTestId(page, 'lead-export-format').selectOption('xlsx');
          await byTestId(page, 'lead-export-submit').click();
          await page.locator('[data-testid="job"][data-status="COMPLETED"]').waitFor({ timeout: 90_000 });
          const link = byTestId(page, 'lead-export').locator('[data-testid="job-file"]').first();
          check(/\.xlsx$/.test((await link.textContent()) ?? ''), 'the job file is not an XLSX');
          const href = (await link.getAttribute('href')) ?? '';
          const answer = await page.request.get(new URL(href, baseUrl).toString());
          check(answer.status() === 200, `the signed link answered ${answer.status()}`);
          const workbook = new ExcelJS.Workbook();
          await workbook.xlsx.load(Buffer.from(await answer.body()) as unknown as ArrayBuffer);
          const names = workbook.worksheets[0].getColumn(2).values.map(String);
          check(names.includes(lead.name) && names.includes('Alan Turing'), `exported names: ${names.join(', ')}`);
          await page.screenshot({ path: shot('-export'), fullPage: true });
          await byTestId(page, 'lead-export-open').click();
        },
      ],
      [
        'a niche is created, listed, and its page shows figures and recommendations with their figures',
        async () => {
          await byTestId(page, 'nav-niches').click();
          await byTestId(page, 'niches-empty').waitFor();
          await byTestId(page, 'niche-name').fill(niche);
          await byTestId(page, 'keywords-input').fill('analytics');
          await byTestId(page, 'keywords-input').press('Enter');
          await byTestId(page, 'niche-submit').click();
          const row = byTestId(page, 'niche-row').filter({ hasText: niche });
          await row.waitFor();
          await row.locator('[data-testid="niche-link"]').click();
          await byTestId(page, 'niche-title').waitFor();
          check((await byTestId(page, 'stat-total').textContent())?.trim() === '0', 'a new niche should have 0 leads');
          const advice = byTestId(page, 'recommendation').first();
          await advice.waitFor();
          check(
            ((await advice.locator('[data-testid="recommendation-figures"]').textContent()) ?? '').includes('Total'),
            'the recommendation does not show its figures',
          );
        },
      ],
      [
        'the lead joins the niche: the niche counts it and advises from its figures',
        async () => {
          await page.goto(`${baseUrl}/#/leads`);
          await leadRow().locator('[data-testid="lead-link"]').click();
          await byTestId(page, 'edit-niche').selectOption({ label: niche });
          await byTestId(page, 'lead-save').click();
          await byTestId(page, 'lead-saved').waitFor();
          await page.goto(`${baseUrl}/#/niches`);
          await byTestId(page, 'niche-row').filter({ hasText: niche }).locator('[data-testid="niche-link"]').click();
          await eventually(
            async () => (await byTestId(page, 'stat-total').textContent())?.trim() === '1',
            'the niche does not count its lead',
          );
          await byTestId(page, 'status-chart').waitFor();
          await byTestId(page, 'best-sources').filter({ hasText: '(none)' }).waitFor();
          // one fresh contacted lead may call for no action: either the actions or the empty state render
          await page.locator('[data-testid="recommendation"], [data-testid="recommendations-empty"]').first().waitFor();
          await page.screenshot({ path: shot('-niche'), fullPage: true });
        },
      ],
      [
        'subscribers: a bad handle shows the API error, a valid one is listed',
        async () => {
          await byTestId(page, 'nav-subscribers').click();
          await byTestId(page, 'subscribers-empty').waitFor();
          await byTestId(page, 'subscriber-new').click();
          await byTestId(page, 'subscriber-handle').fill('has space');
          await byTestId(page, 'subscriber-submit').click();
          await byTestId(page, 'subscriber-form').locator('[data-testid="error-handle"]').waitFor();
          await byTestId(page, 'subscriber-handle').fill('@fan_one');
          await byTestId(page, 'subscriber-displayName').fill('Fan One');
          await byTestId(page, 'subscriber-monthlyPrice').fill('9.99');
          await byTestId(page, 'subscriber-submit').click();
          await byTestId(page, 'subscriber-saved').waitFor();
          const row = byTestId(page, 'subscriber-row').filter({ hasText: '@fan_one' });
          await row.waitFor();
          check(((await row.textContent()) ?? '').includes('$9.99'), 'the monthly price is not shown as money');
        },
      ],
      [
        'an earning recorded on the subscriber updates its lifetime spend and the earnings report',
        async () => {
          await byTestId(page, 'subscriber-link').filter({ hasText: '@fan_one' }).click();
          await byTestId(page, 'subscriber-title').waitFor();
          await byTestId(page, 'earnings-empty').waitFor();
          await byTestId(page, 'earning-amount').fill('12.50');
          await byTestId(page, 'earning-type').selectOption('tip');
          await byTestId(page, 'earning-submit').click();
          await byTestId(page, 'earning-saved').waitFor();
          await byTestId(page, 'earning-row').first().waitFor();
          await eventually(
            async () => (await byTestId(page, 'subscriber-lifetime').textContent())?.trim() === '$12.50',
            'the lifetime spend did not become $12.50',
          );
          await byTestId(page, 'nav-earnings').click();
          await eventually(
            async () => (await byTestId(page, 'earnings-net').textContent())?.trim() === '$12.50',
            'the workspace report does not show the $12.50',
          );
          await byTestId(page, 'earnings-chart').waitFor();
          await page.screenshot({ path: shot('-earnings'), fullPage: true });
        },
      ],
      [
        'campaigns: a bad currency shows the API error; a draft offers only its allowed moves',
        async () => {
          await byTestId(page, 'nav-campaigns').click();
          await byTestId(page, 'campaigns-empty').waitFor();
          await byTestId(page, 'campaign-new').click();
          await byTestId(page, 'campaign-name').fill(campaign);
          await byTestId(page, 'campaign-budget').fill('250');
          await byTestId(page, 'campaign-currency').fill('EURO');
          await byTestId(page, 'campaign-submit').click();
          await byTestId(page, 'campaign-form').locator('[data-testid="error-currency"]').waitFor();
          await byTestId(page, 'campaign-currency').fill('EUR');
          await byTestId(page, 'campaign-submit').click();
          await byTestId(page, 'campaign-saved').waitFor();
          const row = byTestId(page, 'campaign-row').filter({ hasText: campaign });
          await row.waitFor();
          check(((await row.textContent()) ?? '').includes('€250.00'), 'the budget is not shown as money');
          await row.locator('[data-testid="campaign-link"]').click();
          await byTestId(page, 'campaign-transitions').waitFor();
          const moves = await byTestId(page, 'campaign-transitions').locator('button').allTextContents();
          check(moves.join(',') === 'Schedule,Start,Archive', `a draft offers: ${moves.join(', ')}`);
          // the API says a draft may be deleted and take leads (canDelete, acceptsEnrollments)
          await byTestId(page, 'campaign-delete').waitFor();
          await byTestId(page, 'campaign-enroll-search').waitFor();
        },
      ],
      [
        'a lead is enrolled, the campaign starts, and its results count the lead',
        async () => {
          await byTestId(page, 'campaign-enroll-search').fill('lovelace');
          // the search applies after a pause: tick the lead once it is listed
          await byTestId(page, 'campaign-enroll-option')
            .filter({ hasText: lead.name })
            .locator('[data-testid="campaign-enroll-pick"]')
            .check();
          await byTestId(page, 'campaign-enroll-submit').click();
          await byTestId(page, 'campaign-enrolled').waitFor();
          await byTestId(page, 'campaign-lead-row').filter({ hasText: lead.name }).waitFor();
          await eventually(
            async () => (await byTestId(page, 'campaign-kpi-enrolled').textContent())?.trim() === '1',
            'the results do not count the enrolled lead',
          );
          await byTestId(page, 'campaign-to-active').click();
          await eventually(
            async () => (await byTestId(page, 'campaign-title').textContent())?.includes('Active') ?? false,
            'the campaign did not become active',
          );
          const moves = await byTestId(page, 'campaign-transitions').locator('button').allTextContents();
          check(moves.join(',') === 'Pause,Complete', `an active campaign offers: ${moves.join(', ')}`);
          // an active campaign still takes leads but may not be deleted
          check((await byTestId(page, 'campaign-delete').count()) === 0, 'an active campaign offers to be deleted');
          await byTestId(page, 'campaign-enroll-search').waitFor();
          await byTestId(page, 'campaign-lead-stage').selectOption('contacted');
          await eventually(
            async () => (await byTestId(page, 'campaign-kpi-contacted').textContent())?.trim() === '1',
            'the results do not count the contacted lead',
          );
          await byTestId(page, 'campaign-chart').waitFor();
          await page.screenshot({ path: shot('-campaign'), fullPage: true });
        },
      ],
      [
        'webhooks: a bad URL shows the API error; an endpoint shows its secret once, answers a test ping, logs it',
        async () => {
          await byTestId(page, 'nav-webhooks').click();
          await byTestId(page, 'webhooks-empty').waitFor();
          await byTestId(page, 'webhook-url').fill('not a url');
          await byTestId(page, 'webhook-submit').click();
          await byTestId(page, 'webhook-form').locator('[data-testid="error-url"]').waitFor();
          // the API itself receives the ping (loopback is allowed in this test run): 404, not delivered
          await byTestId(page, 'webhook-url').fill(`${baseUrl}/api/hook-receiver`);
          await byTestId(page, 'webhook-event-lead.status_changed').check();
          await byTestId(page, 'webhook-submit').click();
          const secret = ((await byTestId(page, 'webhook-secret').textContent()) ?? '').trim();
          check(secret.length >= 20, `the endpoint secret looks wrong: "${secret}"`);
          const row = byTestId(page, 'webhook-row').filter({ hasText: '/api/hook-receiver' });
          await row.waitFor();
          check(((await row.textContent()) ?? '').includes('lead.status_changed'), 'the events are not listed');
          await row.locator('[data-testid="webhook-test"]').click();
          const result = (await byTestId(page, 'webhook-test-result').textContent()) ?? '';
          check(result.includes('not delivered') && result.includes('404'), `the ping result reads: ${result}`);
          await row.locator('[data-testid="webhook-deliveries-open"]').click();
          await byTestId(page, 'webhook-delivery').first().waitFor();
        },
      ],
      [
        'rotating the inbound signing secret asks first, then shows the new secret once',
        async () => {
          await byTestId(page, 'webhook-rotate').click();
          await byTestId(page, 'webhook-rotate-confirm').click();
          const secret = ((await byTestId(page, 'webhook-rotated-secret').textContent()) ?? '').trim();
          check(secret.length >= 20, `the rotated secret looks wrong: "${secret}"`);
          await page.screenshot({ path: shot('-webhooks'), fullPage: true });
        },
      ],
      [
        'segments: the live count follows the rules, a bad rule shows the API error under it, the segment saves',
        async () => {
          await byTestId(page, 'nav-segments').click();
          await byTestId(page, 'segments-empty').waitFor();
          await byTestId(page, 'segment-new').click();
          await byTestId(page, 'segment-name').fill('High scores');
          // the default rule is score ≥ 50: Ada (72), Alan (80), Katherine (90)
          const count = byTestId(page, 'segment-preview-count');
          await eventually(async () => (await count.textContent())?.trim() === '3', 'the count of score ≥ 50 is not 3');
          // "is one of" takes a list (the API's listOperators): the value is typed as comma-separated values
          await byTestId(page, 'rule-operator').selectOption('in');
          await page.getByLabel('Values, comma-separated').fill('72, 90');
          await eventually(
            async () => (await count.textContent())?.trim() === '2',
            'the count of score in 72, 90 is not 2',
          );
          await byTestId(page, 'rule-operator').selectOption('gte');
          await byTestId(page, 'rule-value').fill('');
          await byTestId(page, 'rule-error').waitFor();
          await byTestId(page, 'rule-value').fill('85');
          await eventually(async () => (await count.textContent())?.trim() === '1', 'the count of score ≥ 85 is not 1');
          await byTestId(page, 'segment-submit').click();
          await byTestId(page, 'segment-lead-row').filter({ hasText: 'Katherine Johnson' }).waitFor();
          await page.screenshot({ path: shot('-segment'), fullPage: true });
          await byTestId(page, 'nav-segments').click();
          const row = byTestId(page, 'segment-row').filter({ hasText: 'High scores' });
          check((await row.locator('[data-testid="segment-count"]').textContent())?.trim() === '1', 'the list count');
        },
      ],
      [
        'automation: a rule on status changes runs when a lead becomes qualified, and its run is listed',
        async () => {
          await byTestId(page, 'nav-automation').click();
          await byTestId(page, 'automation-empty').waitFor();
          await byTestId(page, 'automation-new').click();
          await byTestId(page, 'automation-name').fill('Tag qualified leads');
          await byTestId(page, 'automation-trigger').selectOption('lead.status_changed');
          await byTestId(page, 'automation-form').locator('select[name="trigger.to"]').selectOption('qualified');
          await byTestId(page, 'automation-action-tag').fill('hot');
          await byTestId(page, 'automation-submit').click();
          await byTestId(page, 'automation-saved').waitFor();
          const row = byTestId(page, 'automation-row').filter({ hasText: 'Tag qualified leads' });
          check(
            (await row.locator('[data-testid="automation-status"]').textContent())?.includes('Active'),
            'not active',
          );
          await byTestId(page, 'nav-leads').click();
          const turing = byTestId(page, 'lead-row').filter({ hasText: 'Alan Turing' });
          const put = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/leads/'));
          await turing.locator('[data-testid="lead-status-select"]').selectOption('qualified');
          check((await put).ok(), 'the status update failed');
          // the worker runs the rule in the background; the rule's page lists its runs as they end
          await byTestId(page, 'nav-automation').click();
          await byTestId(page, 'automation-link').filter({ hasText: 'Tag qualified leads' }).click();
          await byTestId(page, 'automation-run').first().waitFor({ timeout: 30_000 });
          const runText = (await byTestId(page, 'automation-run').first().textContent()) ?? '';
          check(runText.includes('Succeeded') && runText.includes('Add a tag'), `the run reads: ${runText}`);
          await page.screenshot({ path: shot('-automation'), fullPage: true });
          // back on the leads page, its list is fetched again and shows the tag the rule added
          await byTestId(page, 'nav-leads').click();
          await turing.filter({ hasText: 'hot' }).waitFor();
        },
      ],
    ];
    await run.steps(steps);
    console.log(
      `  screenshots: ${screenshotPath} and ${['-lead', '-import', '-export', '-niche', '-earnings', '-campaign', '-webhooks', '-segment', '-automation'].map(shot).join(', ')}`,
    );
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('crm'));
