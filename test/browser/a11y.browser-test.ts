/**
 * Automated accessibility check of every signed-in route and the sign-in page with axe-core, run by
 * scripts/test-browser.sh: no serious or critical WCAG 2 A/AA violation, on a desktop and a 390 px phone, in
 * light and dark mode.
 */
import type { Page } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, newUser, signUpAndIn, type Step } from './harness';
import { everyRoute, openRoute } from './routes';

const user = newUser('Axe');
/** Each route is checked on a desktop and a phone, in the light and the dark scheme (the system's: the setting's default). */
const LOOKS = [
  { name: 'desktop, light', viewport: { width: 1280, height: 860 }, colorScheme: 'light' },
  { name: 'desktop, dark', viewport: { width: 1280, height: 860 }, colorScheme: 'dark' },
  { name: 'phone, light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
  { name: 'phone, dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const;
const axePath = require.resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations axe finds on the page as it is now. */
async function violations(page: Page): Promise<string[]> {
  // the routes are opened in the same document (hash navigation): axe stays loaded from the previous route
  if ((await page.evaluate('typeof axe')) === 'undefined') await page.addScriptTag({ path: axePath });
  const found = (await page.evaluate(
    // resultTypes: the passes and other results are not gathered node by node (only violations are read)
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as Violation[];
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

async function main(run: BrowserRun): Promise<void> {
  try {
    await run.open();
    // axe is injected as a script: the served CSP (script-src 'self') would block it
    const page = await run.newPage({ bypassCSP: true });
    let routes: string[] = [];
    const steps: Step[] = [
      [
        'the sign-in page has no serious or critical violation, light or dark',
        async () => {
          const found: string[] = [];
          for (const colorScheme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme });
            await page.goto(`${baseUrl}/#/login`);
            await byTestId(page, 'login-submit').waitFor();
            for (const v of await violations(page)) found.push(`${colorScheme}: ${v}`);
          }
          check(found.length === 0, found.join('\n'));
        },
      ],
      [
        'every signed-in route is made (detail pages too)',
        async () => {
          await signUpAndIn(page, user);
          routes = await everyRoute(page);
        },
      ],
      ...LOOKS.map(({ name, viewport, colorScheme }): Step => [
        `${name}: no signed-in route has a serious or critical violation`,
        async () => {
          await page.setViewportSize(viewport);
          await page.emulateMedia({ colorScheme });
          const problems: string[] = [];
          for (const route of routes) {
            await openRoute(page, route);
            const scheme = await page.evaluate('document.documentElement.dataset.mantineColorScheme');
            check(scheme === colorScheme, `${route}: the page is ${String(scheme)}, not ${colorScheme}`);
            for (const v of await violations(page)) problems.push(`${route}: ${v}`);
          }
          check(problems.length === 0, problems.join('\n'));
        },
      ]),
    ];
    await run.steps(steps);
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('a11y'));
