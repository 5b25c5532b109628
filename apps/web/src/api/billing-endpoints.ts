import {
  createSession,
  invoices,
  messagePackCheckout,
  plans,
  portal,
  sessionInfo,
  subscription,
  type CreateCheckoutSessionDto,
} from '@crescendo/api-client';
import { unwrap } from './errors';

/** Billing: the plan catalogue, the workspace's subscription and invoices, and the Stripe redirects. */
export const billingApi = {
  plans: () => unwrap(plans()),
  subscription: () => unwrap(subscription()),
  invoices: async () => (await unwrap(invoices({ query: { limit: 50 } }))).data,
  sessionInfo: (sessionId: string) => unwrap(sessionInfo({ query: { session_id: sessionId } })),
  checkout: (body: CreateCheckoutSessionDto) => unwrap(createSession({ body })),
  portal: () => unwrap(portal()),
  buyPack: (packId: string) => unwrap(messagePackCheckout({ body: { packId } })),
};
