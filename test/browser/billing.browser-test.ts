/**
 * Browser test of the Billing page, run by scripts/test-browser.sh against the live API whose Stripe is the
 * stand-in of test/browser/fake-stripe-server.ts (its Checkout pays at once, sends the signed
 * checkout.session.completed webhook to the API and redirects back to success_url).
 * A new workspace sees the Free plan, the plan cards with prices per cycle, usage bars against every limit and
 * no invoices; Upgrade goes through Checkout and lands back on the page with the new plan and its renewal date.
 */
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';

const screenshotPath = process.env.BILLING_SCREENSHOT_PATH ?? '/tmp/crescendo-billing.png';
const shot = (name: string) => screenshotPath.replace(/\.png$/, `-${name}.png`);
const user = newUser('Billing');

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    // its own client address: the per-address sign-up limit is shared by every browser test otherwise
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '203.0.113.88' });
    const text = async (id: string) => ((await byTestId(page, id).first().textContent()) ?? '').trim();
    const steps: Step[] = [
      [
        'a new workspace is on Free: plans with prices, usage against every limit, no invoices',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'nav-billing').click();
          await byTestId(page, 'billing-page').waitFor();
          await byTestId(page, 'billing-current-plan').waitFor();
          check((await text('billing-current-plan')) === 'Free', `current plan: ${await text('billing-current-plan')}`);
          for (const plan of ['free', 'pro', 'viral', 'enterprise'])
            await byTestId(page, `billing-plan-${plan}`).waitFor();
          check(
            (await byTestId(page, 'billing-plan-free').locator('[data-testid="billing-plan-current"]').count()) === 1,
            'the free plan is not marked current',
          );
          for (const limit of ['aiGenerationsPerMonth', 'seats', 'agents', 'storageMb']) {
            await byTestId(page, `billing-usage-${limit}`).waitFor();
          }
          check((await text('billing-usage-seats')).includes('1'), 'the owner’s seat is not counted');
          await byTestId(page, 'billing-invoices-empty').waitFor();
          await byTestId(page, 'billing-pack-messages-100').waitFor();
          await page.screenshot({ path: shot('desktop'), fullPage: true });
        },
      ],
      [
        'the cycle toggle shows yearly prices, then monthly again',
        async () => {
          check((await text('billing-price-pro')).includes('19'), `pro monthly: ${await text('billing-price-pro')}`);
          await byTestId(page, 'billing-cycle').getByText('Yearly').click();
          await eventually(async () => (await text('billing-price-pro')).includes('190'), 'no yearly price');
          check(
            (await text('billing-price-viral')).includes('390'),
            `viral yearly: ${await text('billing-price-viral')}`,
          );
          await byTestId(page, 'billing-cycle').getByText('Monthly').click();
          await eventually(async () => !(await text('billing-price-pro')).includes('190'), 'still yearly');
        },
      ],
      [
        'Upgrade goes through Checkout and lands back on the page with the new plan and its renewal date',
        async () => {
          await byTestId(page, 'billing-upgrade-pro').click();
          await page.waitForURL(/#\/billing\?session_id=cs_test_/, { timeout: 30_000 });
          await eventually(
            async () => (await text('billing-current-plan')) === 'Pro',
            `the page still shows ${await text('billing-current-plan')}`,
            30_000,
          );
          await byTestId(page, 'billing-activated').waitFor();
          check(
            (await byTestId(page, 'billing-plan-pro').locator('[data-testid="billing-plan-current"]').count()) === 1,
            'the pro plan is not marked current',
          );
          check((await text('billing-status')) === 'Active', `status: ${await text('billing-status')}`);
          check(/Renews on/.test(await text('billing-renewal')), `renewal: ${await text('billing-renewal')}`);
          check((await text('billing-usage-aiGenerationsPerMonth')).includes('500'), 'the AI quota is not Pro’s');
          // Subscribed: moving to another plan goes through the Customer Portal, not a second Checkout.
          check((await text('billing-upgrade-viral')) === 'Change plan', 'viral still offers a new Checkout');
          await page.screenshot({ path: shot('upgraded'), fullPage: true });
        },
      ],
      [
        'on a 390 px phone the page fits the screen',
        async () => {
          await page.setViewportSize({ width: 390, height: 844 });
          await page.goto(`${baseUrl}/#/billing`);
          await byTestId(page, 'billing-current-plan').waitFor();
          await byTestId(page, 'billing-plan-enterprise').waitFor();
          const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
          check(overflow <= 0, `the page is ${overflow} px wider than the phone`);
          await page.screenshot({ path: shot('phone'), fullPage: true });
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
console.log('billing browser test');
void main(run).finally(() => run.close('billing'));
