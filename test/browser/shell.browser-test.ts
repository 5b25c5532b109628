/**
 * Browser test of the app shell, run by scripts/test-browser.sh against the live API: the home page
 * after sign-in, the skip link and focus ring, the saved preferences (language, dark mode, compact
 * tables) applied to the UI, the phone layout on every route at 390×844 (no horizontal scroll, the
 * navbar behind a burger, an open AI chat and fan conversation using the whole width), and sign-out in two tabs that both land on the login form.
 */
import type { Page } from 'playwright-core';
import {
  BrowserRun,
  baseUrl,
  byTestId,
  check,
  eventually,
  newUser,
  preferencesToastIn,
  signUpAndIn,
  type Step,
} from './harness';
import { everyRoute, openRoute } from './routes';

const screenshotPath = process.env.SHELL_SCREENSHOT_PATH ?? '/tmp/crescendo-shell.png';
const shot = (name: string) => screenshotPath.replace(/\.png$/, `-${name}.png`);
const user = newUser('Shell');

/** An expression evaluated in the page (this file is compiled without the DOM's types). */
const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;

/** Sets preferences on the profile page and waits for the save (the layout applies them). */
async function savePreferences(page: Page, changes: { language?: string; theme?: string; compact?: boolean }) {
  await page.goto(`${baseUrl}/#/profile`);
  const form = byTestId(page, 'management-settings-form');
  await form.waitFor();
  if (changes.language) await byTestId(page, 'settings-language').selectOption(changes.language);
  if (changes.theme) await byTestId(page, 'settings-theme').selectOption(changes.theme);
  if (changes.compact !== undefined) await byTestId(page, 'settings-compactMode').setChecked(changes.compact);
  const saved = page.waitForResponse(
    (r) => r.url().includes('/api/management/settings') && r.request().method() === 'PUT',
  );
  await byTestId(page, 'settings-save').click();
  check((await saved).ok(), 'the preferences were not saved');
}

/** The height of the first body row of the roles table (always there for an owner). */
async function roleRowHeight(page: Page): Promise<number> {
  await page.goto(`${baseUrl}/#/users`);
  const row = byTestId(page, 'roles-table').locator('tbody tr').first();
  await row.waitFor();
  return (await row.boundingBox())?.height ?? 0;
}

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    let otherTab: Page | undefined;
    const steps: Step[] = [
      [
        'after sign-in the user lands on the home page with the first-run checklist',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'home').waitFor();
          check(/#\/$/.test(page.url()), `expected the home route, got ${page.url()}`);
          await byTestId(page, 'home-checklist').waitFor();
          const step = byTestId(page, 'home-step-import');
          await eventually(async () => (await step.getAttribute('data-done')) === 'false', 'the import step is done');
          await byTestId(page, 'home-recent-empty').waitFor();
          await page.screenshot({ path: shot('home'), fullPage: true });
        },
      ],
      [
        'the first Tab reaches the skip link, which moves the focus to the content; the ring is visible',
        async () => {
          await page.keyboard.press('Tab');
          const first = await inPage<string | null>(page, "document.activeElement?.getAttribute('data-testid')");
          check(first === 'skip-link', `the first Tab stop is ${first}`);
          const outline = await inPage<{ style: string; width: number }>(
            page,
            '(() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }; })()',
          );
          check(outline.style !== 'none' && outline.width >= 2, `faint focus ring: ${JSON.stringify(outline)}`);
          await page.keyboard.press('Enter');
          const focused = await inPage<string>(page, 'document.activeElement?.id');
          check(focused === 'main', `the focus went to ${focused}`);
          check(/#\/$/.test(page.url()), `the skip link changed the route: ${page.url()}`);
        },
      ],
      [
        'the fan inbox has its own navigation entry',
        async () => {
          await byTestId(page, 'nav-inbox').click();
          await byTestId(page, 'inbox').waitFor();
        },
      ],
      [
        'choosing French translates the UI at once (the saved toast too) and after a reload; English brings it back',
        async () => {
          await preferencesToastIn(page, 'fr', () => savePreferences(page, { language: 'fr' }));
          await eventually(
            async () => (await byTestId(page, 'nav-leads').textContent())?.trim() === 'Prospects',
            'the navigation is not in French',
          );
          check((await inPage<string>(page, 'document.documentElement.lang')) === 'fr', 'html lang is not fr');
          await page.reload();
          await eventually(
            async () => (await byTestId(page, 'nav-leads').textContent())?.trim() === 'Prospects',
            'French is lost after a reload',
          );
          const title = await page.locator('h1').first().textContent();
          check(title?.includes('Profil et paramètres'), `the page title is "${title}"`);
          await page.goto(`${baseUrl}/#/leads`);
          await byTestId(page, 'leads-empty').waitFor();
          check((await page.locator('main h1').textContent()) === 'Prospects', 'the leads page is not in French');
          const empty = (await byTestId(page, 'leads-empty').textContent()) ?? '';
          check(empty.includes('Aucun prospect'), `the empty state reads: ${empty}`);
          await page.screenshot({ path: shot('french'), fullPage: true });
          await preferencesToastIn(page, 'en', () => savePreferences(page, { language: 'en' }));
          await eventually(
            async () => (await byTestId(page, 'nav-leads').textContent())?.trim() === 'Leads',
            'the navigation did not come back to English',
          );
        },
      ],
      [
        'dark mode applies from the saved preference, and survives a reload',
        async () => {
          const background = () => inPage<string>(page, 'getComputedStyle(document.body).backgroundColor');
          const light = await background();
          await savePreferences(page, { theme: 'dark' });
          await eventually(
            async () => (await inPage<string>(page, 'document.documentElement.dataset.mantineColorScheme')) === 'dark',
            'the colour scheme is not dark',
          );
          const dark = await background();
          check(dark !== light, `the background stayed ${light}`);
          const [r, g, b] = (dark.match(/\d+/g) ?? []).map(Number);
          check(r + g + b < 200, `the dark background is light: ${dark}`);
          await page.reload();
          await byTestId(page, 'management-settings-form').waitFor();
          check(
            (await inPage<string>(page, 'document.documentElement.dataset.mantineColorScheme')) === 'dark',
            'dark mode is lost after a reload',
          );
          await page.screenshot({ path: shot('dark'), fullPage: true });
        },
      ],
      [
        'compact tables make table rows shorter',
        async () => {
          const comfortable = await roleRowHeight(page);
          await savePreferences(page, { compact: true });
          const compact = await roleRowHeight(page);
          check(compact > 0 && compact < comfortable, `row height ${comfortable} → ${compact}`);
          await savePreferences(page, { compact: false, theme: 'light' });
        },
      ],
      [
        'a second tab of the same browser shares the session',
        async () => {
          otherTab = await page.context().newPage();
          run.watch(otherTab);
          await otherTab.goto(`${baseUrl}/#/leads`);
          await byTestId(otherTab, 'current-user').waitFor();
        },
      ],
      [
        'sign-out lands on the login form at once, in this tab and the other one, with no panel left loading',
        async () => {
          await page.goto(`${baseUrl}/#/leads`);
          await byTestId(page, 'leads-empty').waitFor();
          await byTestId(page, 'sign-out').click();
          await byTestId(page, 'login-submit').waitFor({ timeout: 3000 });
          check(page.url().includes('#/login'), `expected #/login, got ${page.url()}`);
          check((await byTestId(page, 'current-user').count()) === 0, 'the user is still shown');
          check((await byTestId(page, 'loading').count()) === 0, 'a panel is still loading');
          await byTestId(otherTab!, 'login-submit').waitFor({ timeout: 3000 });
          check((await byTestId(otherTab!, 'current-user').count()) === 0, 'the other tab still shows the user');
          // the session is gone on the server too: a reload stays on the login form
          await page.reload();
          await byTestId(page, 'login-submit').waitFor();
          await page.screenshot({ path: shot('signed-out') });
        },
      ],
      [
        'signing in again lands on the home page (not the page of the previous session)',
        async () => {
          // the login page has its own language switch
          await byTestId(page, 'auth-language').selectOption('fr');
          await eventually(async () => (await page.locator('h1').textContent()) === 'Connexion', 'no French login');
          await byTestId(page, 'auth-language').selectOption('en');
          await eventually(async () => (await page.locator('h1').textContent()) === 'Sign in', 'no English login');
          await byTestId(page, 'login-email').fill(user.email);
          await byTestId(page, 'login-password').fill(user.password);
          await byTestId(page, 'login-submit').click();
          await byTestId(page, 'home').waitFor();
        },
      ],
      [
        'on a 390×844 phone every route (detail pages too) fits the screen and the navbar opens behind a burger',
        async () => {
          const phone = await run.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
          await phone.goto(`${baseUrl}/#/login`);
          await byTestId(phone, 'login-email').fill(user.email);
          await byTestId(phone, 'login-password').fill(user.password);
          await byTestId(phone, 'login-submit').click();
          await byTestId(phone, 'home').waitFor();
          // the closed navbar is slid off the screen to the left
          const navShown = async () => {
            const box = await byTestId(phone, 'nav-leads').boundingBox();
            return !!box && box.x >= 0 && box.x + box.width > 0;
          };
          check(!(await navShown()), 'the navbar covers the phone screen');
          await byTestId(phone, 'nav-toggle').click();
          await eventually(navShown, 'the burger did not open the navbar');
          await byTestId(phone, 'nav-leads').click();
          await byTestId(phone, 'leads-empty').waitFor();
          await eventually(async () => !(await navShown()), 'the navbar stayed open');
          const wide: string[] = [];
          const routes = await everyRoute(phone);
          for (const route of routes) {
            await openRoute(phone, route);
            const width = await inPage<number>(phone, 'document.documentElement.scrollWidth');
            if (width > 390) {
              wide.push(`${route}: ${width}px`);
              await phone.screenshot({ path: shot(`phone-${route.replace(/\W/g, '') || 'home'}`), fullPage: true });
            }
          }
          await phone.goto(`${baseUrl}/#/leads`);
          await phone.locator('main h1').first().waitFor();
          await phone.screenshot({ path: shot('phone-leads'), fullPage: true });
          check(wide.length === 0, `pages wider than the phone: ${wide.join(', ')}`);
          // an open conversation takes the screen: its list is behind a back button, the composer is at hand
          // shown whole on the screen; the conversation's own parts use most of its width
          const fits = async (id: string) => {
            const box = await byTestId(phone, id).first().boundingBox();
            const wide = !id.endsWith('-send');
            return !!box && box.width > (wide ? 300 : 0) && box.x >= 0 && box.x + box.width <= 390;
          };
          const chat = routes.find((r) => r.startsWith('/chat?'))!;
          await openRoute(phone, chat);
          await byTestId(phone, 'chat-answer').first().waitFor();
          check(!(await byTestId(phone, 'chat-sidebar').isVisible()), 'the chat list hides the open conversation');
          for (const id of ['chat-header', 'chat-answer', 'chat-message', 'chat-send']) {
            check(await fits(id), `${id} does not fit the phone`);
          }
          await phone.screenshot({ path: shot('phone-chat'), fullPage: true });
          await byTestId(phone, 'back-to-list').click();
          await byTestId(phone, 'chat-item').first().waitFor();
          check(!phone.url().includes('conversation='), `the back button left ${phone.url()}`);
          const inbox = routes.find((r) => r.startsWith('/inbox?'))!;
          await openRoute(phone, inbox);
          await byTestId(phone, 'inbox-message').first().waitFor();
          check(!(await byTestId(phone, 'inbox-list').isVisible()), 'the inbox list hides the open conversation');
          for (const id of ['inbox-fan', 'inbox-messages', 'inbox-body', 'inbox-send']) {
            check(await fits(id), `${id} does not fit the phone`);
          }
          await phone.screenshot({ path: shot('phone-inbox'), fullPage: true });
          await byTestId(phone, 'back-to-list').click();
          await byTestId(phone, 'inbox-item').first().waitFor();
          // the phone in dark mode, for the record
          await savePreferences(phone, { theme: 'dark' });
          await phone.goto(`${baseUrl}/#/`);
          await byTestId(phone, 'home').waitFor();
          await phone.screenshot({ path: shot('phone-dark'), fullPage: true });
          await savePreferences(phone, { theme: 'light' });
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
void main(run).finally(() => run.close('shell'));
