/**
 * Browser test of the keyboard help and the date-time fields, run by scripts/test-browser.sh: `?` opens
 * the shortcut dialog (not from a text field), the header button and the command palette open it too, it
 * is translated; a campaign's start is picked from the keyboard in the calendar, saved, and shown again
 * after a reload, in English then in French, the API getting the same ISO instant.
 */
import type { Page } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';

const user = newUser('Keys');
const shot = (name: string) =>
  (process.env.KEYBOARD_SCREENSHOT_PATH ?? '/tmp/crescendo-keyboard.png').replace(/\.png$/, `-${name}.png`);
const campaignName = `Autumn launch ${Date.now() % 100000}`;

/** An expression evaluated in the page (this file is compiled without the DOM's types). */
const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;
const help = (page: Page) => page.getByRole('dialog');

async function switchLanguage(page: Page, to: 'fr' | 'en', navLeads: string) {
  await page.keyboard.press('Control+K');
  await page
    .getByRole('dialog')
    .locator('input')
    .fill(to === 'fr' ? 'fran' : 'angl');
  await byTestId(page, `palette-action-${to}`).click();
  await eventually(
    async () => (await byTestId(page, 'nav-leads').textContent())?.trim() === navLeads,
    `the interface is not in ${to}`,
  );
}

/** The campaign through the API (as the page's user): what the form sent. */
async function campaignFromApi(page: Page, id: string): Promise<{ startAt: string | null }> {
  const refreshed = await page.request.post(`${baseUrl}/api/auth/refresh`, { data: {} });
  const { accessToken } = (await refreshed.json()) as { accessToken: string };
  const response = await page.request.get(`${baseUrl}/api/campaigns/${id}`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  check(response.ok(), `GET campaign answered ${response.status()}`);
  const body = (await response.json()) as { startAt?: string | null; data?: { startAt: string | null } };
  return { startAt: body.data ? body.data.startAt : (body.startAt ?? null) };
}

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    let campaignId = '';
    // the day picked in the calendar (a week from today, in this month) at 21:45, local time
    let expected = { iso: '', english: '', french: '' };
    const steps: Step[] = [
      [
        '`?` opens the shortcut help, which lists Ctrl+K; Escape closes it',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'home').waitFor();
          await page.keyboard.press('?');
          await help(page).waitFor();
          check(
            ((await help(page).locator('h2').first().textContent()) ?? '').includes('Keyboard shortcuts'),
            'the dialog has no title',
          );
          const palette = ((await byTestId(page, 'shortcut-palette').textContent()) ?? '').replace(/\s+/g, ' ');
          check(/Ctrl\s*\+?\s*K/.test(palette) && palette.includes('command palette'), `the palette row: ${palette}`);
          for (const row of ['help', 'send', 'newline', 'skip']) await byTestId(page, `shortcut-${row}`).waitFor();
          await page.screenshot({ path: shot('help') });
          await page.keyboard.press('Escape');
          await help(page).waitFor({ state: 'detached' });
        },
      ],
      [
        '`?` typed in a text field is a question mark, not the help',
        async () => {
          await page.goto(`${baseUrl}/#/chat`);
          const message = byTestId(page, 'chat-message');
          await message.waitFor();
          await message.focus();
          await page.keyboard.type('Why?');
          check((await message.inputValue()) === 'Why?', `the field holds "${await message.inputValue()}"`);
          check((await help(page).count()) === 0, 'the help opened from a text field');
        },
      ],
      [
        'the header button and the command palette open it too, in French once the UI is French',
        async () => {
          await byTestId(page, 'shortcut-help-open').click();
          await byTestId(page, 'shortcut-palette').waitFor();
          await page.keyboard.press('Escape');
          await help(page).waitFor({ state: 'detached' });
          await switchLanguage(page, 'fr', 'Prospects');
          await page.keyboard.press('Control+K');
          await page.getByRole('dialog').locator('input').fill('raccourcis');
          await byTestId(page, 'palette-action-shortcuts').click();
          await byTestId(page, 'shortcut-palette').waitFor();
          const title = (await help(page).locator('h2').first().textContent()) ?? '';
          check(title.includes('Raccourcis clavier'), `the title is "${title}"`);
          const row = (await byTestId(page, 'shortcut-newline').textContent()) ?? '';
          check(row.includes('Aller à la ligne'), `the Shift+Enter row reads "${row}"`);
          await page.screenshot({ path: shot('help-fr') });
          await page.keyboard.press('Escape');
          await switchLanguage(page, 'en', 'Leads');
        },
      ],
      [
        'a campaign start is picked from the keyboard: calendar, day, hours, minutes, PM',
        async () => {
          await page.goto(`${baseUrl}/#/campaigns`);
          await byTestId(page, 'campaign-new').click();
          await byTestId(page, 'campaign-name').fill(campaignName);
          const field = byTestId(page, 'campaign-startAt');
          await field.focus();
          await page.keyboard.press('Enter');
          const dropdown = page.locator('[data-dates-dropdown]');
          await dropdown.waitFor();
          // a calendar the size of a calendar, all seven days of a week in view
          const box = await dropdown.boundingBox();
          check(box && box.width < 420 && box.x + box.width <= 1280, `the calendar spans ${JSON.stringify(box)}`);
          const week = dropdown.locator('tbody tr').nth(1).locator('button');
          check((await week.count()) === 7, `a week shows ${await week.count()} days`);
          for (let i = 0; i < 7; i += 1) {
            const day = await week.nth(i).boundingBox();
            check(day && day.x >= box.x && day.x + day.width <= box.x + box.width, `day ${i} is outside the calendar`);
          }
          // Tab through the calendar header to the day in the tab order (today)
          const onDay = () => inPage<boolean>(page, "!!document.activeElement?.closest('[data-dates-dropdown] table')");
          for (let i = 0; i < 6 && !(await onDay()); i += 1) await page.keyboard.press('Tab');
          check(await onDay(), 'Tab never reached a day of the calendar');
          const today = await inPage<number>(page, 'new Date().getDate()');
          // a week away within this month, so the calendar shows it without turning the page
          const move = today <= 20 ? 'ArrowDown' : 'ArrowUp';
          await page.keyboard.press(move);
          await page.keyboard.press('Enter');
          // the day is picked: the focus is on the hours
          await eventually(
            async () =>
              (await inPage<string | null>(page, "document.activeElement?.getAttribute('aria-label')"))?.includes(
                'hours',
              ) ?? false,
            'picking the day did not move the focus to the hours',
          );
          await page.keyboard.type('0945');
          await page.keyboard.press('p');
          await page.screenshot({ path: shot('picker') });
          await page.keyboard.press('Enter');
          await dropdown.waitFor({ state: 'detached' });
          expected = await inPage<typeof expected>(
            page,
            `(() => {
              const d = new Date();
              d.setDate(d.getDate() + (${move === 'ArrowDown' ? 7 : -7}));
              d.setHours(21, 45, 0, 0);
              const p = (n) => String(n).padStart(2, '0');
              return {
                iso: d.toISOString(),
                english: p(d.getMonth() + 1) + '/' + p(d.getDate()) + '/' + d.getFullYear() + ' 9:45 PM',
                french: p(d.getDate()) + '/' + p(d.getMonth() + 1) + '/' + d.getFullYear() + ' 21:45',
              };
            })()`,
          );
          const shown = (await field.textContent())?.trim();
          check(shown === expected.english, `the field shows "${shown}", expected "${expected.english}"`);
          // the focus came back to the field
          check(
            (await inPage<string | null>(page, "document.activeElement?.getAttribute('data-testid')")) ===
              'campaign-startAt',
            'the focus did not come back to the field',
          );
        },
      ],
      [
        'saved, the API has the same instant in ISO 8601; after a reload the detail page shows it',
        async () => {
          await byTestId(page, 'campaign-submit').click();
          const link = byTestId(page, 'campaign-saved').locator('a');
          await link.waitFor();
          await link.click();
          await eventually(async () => /#\/campaigns\/[0-9a-f-]{36}$/.test(page.url()), `still on ${page.url()}`);
          campaignId = page.url().split('/').pop()!;
          const stored = await campaignFromApi(page, campaignId);
          check(stored.startAt === expected.iso, `the API has ${stored.startAt}, expected ${expected.iso}`);
          await page.reload();
          const field = byTestId(page, 'campaign-startAt');
          await field.waitFor();
          const shown = (await field.textContent())?.trim();
          check(shown === expected.english, `after a reload the field shows "${shown}"`);
          const when = (await byTestId(page, 'campaign-when').textContent()) ?? '';
          check(!when.includes('no start'), `the header has no start: ${when}`);
          await page.screenshot({ path: shot('campaign-en'), fullPage: true });
        },
      ],
      [
        'in French the same start reads day/month and 24 h, the calendar speaks French, and saving keeps it',
        async () => {
          await switchLanguage(page, 'fr', 'Prospects');
          // the whole page follows at once, not only the navigation
          const form = byTestId(page, 'campaign-form');
          await eventually(
            async () => ((await form.textContent()) ?? '').includes('Début'),
            `the form is still in English: ${(await form.textContent())?.slice(0, 120)}`,
          );
          const field = byTestId(page, 'campaign-startAt');
          await eventually(
            async () => (await field.textContent())?.trim() === expected.french,
            `the field shows "${await field.textContent()}", expected "${expected.french}"`,
          );
          await field.click();
          const dropdown = page.locator('[data-dates-dropdown]');
          await dropdown.waitFor();
          const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre'];
          const header = (await dropdown.textContent()) ?? '';
          check(
            [...months, 'octobre', 'novembre', 'décembre'].some((m) => header.includes(m)),
            `the calendar is not in French: ${header.slice(0, 80)}`,
          );
          await page.screenshot({ path: shot('picker-fr') });
          await page.keyboard.press('Escape');
          await dropdown.waitFor({ state: 'detached' });
          await byTestId(page, 'campaign-submit').click();
          await byTestId(page, 'campaign-saved').waitFor();
          const stored = await campaignFromApi(page, campaignId);
          check(stored.startAt === expected.iso, `saving in French changed the start to ${stored.startAt}`);
          await switchLanguage(page, 'en', 'Leads');
        },
      ],
    ];
    await run.steps(steps);
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('keyboard'));
