/**
 * Screenshots of the SPA for a person to look at, run by scripts/test-browser.sh: the home, leads,
 * profile and settings, automation and agents pages on a 1280×800 desktop and a 390×844 phone, light and dark, in English
 * and French, to /tmp/crescendo-<size>-<scheme>-<language>-<page>.png. Each shot also checks that
 * the page fits its width and speaks the language chosen.
 */
import type { Page } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';
import { openRoute } from './routes';

const user = newUser('Screens');
const dir = process.env.SCREENS_DIR ?? '/tmp';
const PAGES = ['/', '/leads', '/profile', '/automation', '/agents'];
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

async function savePreferences(page: Page, changes: { language: string; theme: string }) {
  await page.goto(`${baseUrl}/#/profile`);
  await byTestId(page, 'management-settings-form').waitFor();
  await byTestId(page, 'settings-language').selectOption(changes.language);
  await byTestId(page, 'settings-theme').selectOption(changes.theme);
  const saved = page.waitForResponse(
    (r) => r.url().includes('/api/management/settings') && r.request().method() === 'PUT',
  );
  await byTestId(page, 'settings-save').click();
  check((await saved).ok(), 'the preferences were not saved');
}

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    const shots: string[] = [];
    const steps: Step[] = [
      [
        'a workspace with a few leads (accented names sort with their letter)',
        async () => {
          await signUpAndIn(page, user);
          await page.goto(`${baseUrl}/#/leads`);
          await byTestId(page, 'lead-new').click();
          // the form stays open after each creation, emptied
          for (const name of ['Zoé Martin', 'Élodie Durand', 'Ana Lefèvre']) {
            await byTestId(page, 'lead-name').fill(name);
            await byTestId(page, 'lead-submit').click();
            await byTestId(page, 'lead-created').filter({ hasText: name }).waitFor();
          }
        },
      ],
      ...(['en', 'fr'] as const).flatMap((language) =>
        (['light', 'dark'] as const).map((theme): Step => [
          `${language}, ${theme}: desktop and phone screenshots of ${PAGES.join(', ')}`,
          async () => {
            await savePreferences(page, { language, theme });
            for (const [size, viewport] of Object.entries(SIZES)) {
              await page.setViewportSize(viewport);
              for (const route of PAGES) {
                await openRoute(page, route);
                await eventually(
                  async () => (await page.evaluate('document.documentElement.lang')) === language,
                  `the page is not in ${language}`,
                );
                const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
                check(width <= viewport.width, `${route} is ${width}px wide on a ${viewport.width}px screen`);
                const path = `${dir}/crescendo-${size}-${theme}-${language}-${route.slice(1) || 'home'}.png`;
                // the toasts of the last save would cover part of the picture: they are left out of it
                await page.screenshot({
                  path,
                  fullPage: size === 'phone',
                  animations: 'disabled',
                  style: '.mantine-Notifications-root { visibility: hidden; }',
                });
                shots.push(path);
              }
            }
            await page.setViewportSize(SIZES.desktop);
          },
        ]),
      ),
    ];
    await run.steps(steps);
    console.log(`  ${shots.length} screenshots in ${dir}/crescendo-*.png`);
    await savePreferences(page, { language: 'en', theme: 'light' });
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('screens'));
