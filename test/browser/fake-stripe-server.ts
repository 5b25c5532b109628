/**
 * The Stripe stand-in for the browser run (scripts/test-browser.sh): Checkout pages served by the stand-in
 * pay at once, send the signed checkout.session.completed to the API on PORT and redirect back. Prints the
 * STRIPE_* variables that point the API at it, one per line, once listening.
 */
import { FakeStripe } from '../helpers/fake-stripe';

const webhookSecret = 'whsec_browser_run_0123456789';

async function main() {
  const fake = await FakeStripe.start({
    webhookUrl: `http://127.0.0.1:${process.env.PORT}/api/stripe-webhook`,
    webhookSecret,
  });
  const env = { STRIPE_SECRET_KEY: 'sk_test_browser_run', STRIPE_WEBHOOK_SECRET: webhookSecret, ...fake.env() };
  for (const [key, value] of Object.entries(env)) console.log(`${key}=${value}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
