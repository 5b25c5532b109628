/**
 * Browser test of the command palette (Ctrl/Cmd+K), run by scripts/test-browser.sh: it opens from the
 * keyboard and from the header, jumps to a page, runs "New lead" (the leads page opens with its form),
 * finds a lead by name and opens it, and switches the interface to French and back.
 */
import type { Page } from 'playwright-core';
import {
  BrowserRun,
  byTestId,
  check,
  eventually,
  newUser,
  preferencesToastIn,
  signUpAndIn,
  type Step,
} from './harness';

const user = newUser('Palette');
const screenshot = process.env.PALETTE_SCREENSHOT_PATH ?? '/tmp/crescendo-palette.png';

/** Opens the palette with the shortcut and types a query. */
async function search(page: Page, query: string) {
  await page.keyboard.press('Control+K');
  const input = page.getByRole('dialog').locator('input');
  await input.waitFor();
  await input.fill(query);
}

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    const steps: Step[] = [
      [
        'Ctrl+K opens the palette anywhere (even from a text field); Escape closes it',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'home').waitFor();
          await page.keyboard.press('Control+K');
          await byTestId(page, 'palette-page-leads').waitFor();
          await page.keyboard.press('Escape');
          await byTestId(page, 'palette-page-leads').waitFor({ state: 'detached' });
          await byTestId(page, 'nav-profile').click();
          await page.locator('main input').first().focus();
          await page.keyboard.press('Control+K');
          await byTestId(page, 'palette-page-leads').waitFor();
          await page.keyboard.press('Escape');
        },
      ],
      [
        'typing filters the pages; Enter on the first one navigates to it',
        async () => {
          await search(page, 'webho');
          await byTestId(page, 'palette-page-webhooks').waitFor();
          check((await byTestId(page, 'palette-page-leads').count()) === 0, 'the leads page still shows');
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('Enter');
          await eventually(async () => page.url().endsWith('#/webhooks'), `still on ${page.url()}`);
          await byTestId(page, 'webhook-form').waitFor();
        },
      ],
      [
        '"New lead" opens the leads page with its form focused; the lead is created from the keyboard',
        async () => {
          await search(page, 'new lead');
          await byTestId(page, 'palette-action-newLead').click();
          await byTestId(page, 'lead-form').waitFor();
          await eventually(
            async () => (await page.evaluate('document.activeElement?.dataset.testid')) === 'lead-name',
            'the form does not focus its name',
          );
          await page.keyboard.type('Élodie Palette');
          await page.keyboard.press('Enter');
          await byTestId(page, 'lead-created').waitFor();
          // a reload does not open the form again (the intent was one-off)
          await page.reload();
          await byTestId(page, 'lead-row').first().waitFor();
          check((await byTestId(page, 'lead-form').count()) === 0, 'the form reopened after a reload');
        },
      ],
      [
        'the palette finds a lead by name and opens its page',
        async () => {
          await search(page, 'Élodie');
          const hit = byTestId(page, 'palette-lead').filter({ hasText: 'Élodie Palette' });
          await hit.waitFor();
          await hit.click();
          await eventually(async () => /#\/leads\/[0-9a-f-]{36}$/.test(page.url()), `still on ${page.url()}`);
          await page.getByRole('dialog').waitFor({ state: 'detached' });
        },
      ],
      [
        'the palette switches the interface to French, then back to English, each toast in the new language',
        async () => {
          await search(page, 'fran');
          await preferencesToastIn(page, 'fr', () => byTestId(page, 'palette-action-fr').click());
          await eventually(
            async () => (await byTestId(page, 'nav-leads').textContent())?.trim() === 'Prospects',
            'the navigation is not in French',
          );
          await search(page, 'nouveau prospect');
          await byTestId(page, 'palette-action-newLead').waitFor();
          check(
            ((await byTestId(page, 'palette-action-newLead').textContent()) ?? '').includes('Nouveau prospect'),
            'the palette is not in French',
          );
          await page.screenshot({ path: screenshot });
          await page.keyboard.press('Escape');
          await search(page, 'angl');
          await preferencesToastIn(page, 'en', () => byTestId(page, 'palette-action-en').click());
          await eventually(
            async () => (await byTestId(page, 'nav-leads').textContent())?.trim() === 'Leads',
            'the navigation did not come back to English',
          );
        },
      ],
      [
        'the header button opens the palette too (phones have no keyboard shortcut)',
        async () => {
          await byTestId(page, 'palette-open').click();
          await byTestId(page, 'palette-page-leads').waitFor();
          await page.keyboard.press('Escape');
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
void main(run).finally(() => run.close('palette'));
