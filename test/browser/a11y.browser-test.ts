/**
 * Automated accessibility check of every signed-in route and the sign-in page with axe-core, run by
 * scripts/test-browser.sh: no serious or critical WCAG 2 A/AA violation, in light and dark mode.
 */
import type { Page } from 'playwright-core';
import { BrowserRun, baseUrl, byTestId, check, newUser, signUpAndIn, type Step } from './harness';
import { everyRoute, openRoute } from './routes';

const user = newUser('Axe');
const axePath = require.resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations axe finds on the page as it is now. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const found = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)",
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
    const steps: Step[] = [
      [
        'the sign-in page has no serious or critical violation',
        async () => {
          await page.goto(`${baseUrl}/#/login`);
          await byTestId(page, 'login-submit').waitFor();
          const found = await violations(page);
          check(found.length === 0, found.join('\n'));
        },
      ],
      [
        'no signed-in route (detail pages too) has a serious or critical violation',
        async () => {
          await signUpAndIn(page, user);
          const problems: string[] = [];
          for (const route of await everyRoute(page)) {
            await openRoute(page, route);
            for (const v of await violations(page)) problems.push(`${route}: ${v}`);
          }
          check(problems.length === 0, problems.join('\n'));
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
void main(run).finally(() => run.close('a11y'));
