/**
 * A local stand-in for Stripe's HTTP API: node:http on 127.0.0.1, answering the calls the stripe SDK makes for
 * billing in Stripe's JSON shapes (form-encoded requests, `{error: {...}}` failures).
 *
 *   const stripe = await FakeStripe.start();
 *   process.env.STRIPE_API_HOST = '127.0.0.1'; STRIPE_API_PORT = String(stripe.port); STRIPE_API_PROTOCOL = 'http';
 *   stripe.promotionCodes.set('PROMO10', 'promo_1');       // an active promotion code
 *   stripe.subscriptions.set('sub_1', stripe.subscription({ ... }));  // what GET /v1/subscriptions/:id answers
 *   stripe.requests                                         // what it received: method, path, headers, form
 *   stripe.failures.push({ path: '/v1/billing_portal/sessions', status: 400 })  // the next such call fails
 *
 * A POST with an Idempotency-Key already seen answers the first answer again, as Stripe does.
 *
 * With `checkout` options it also plays Checkout for a browser: the sessions' url is its own
 * GET /c/pay/:id, which marks the session paid (a subscription session gets an active subscription), POSTs
 * the signed customer.subscription.created (for a subscription) and checkout.session.completed events to
 * `webhookUrl`, and redirects to the session's success_url.
 *
 * Endpoints: POST /v1/customers, GET /v1/promotion_codes, POST /v1/checkout/sessions,
 * GET /v1/checkout/sessions/:id, POST /v1/billing_portal/sessions, GET /v1/subscriptions/:id.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface FakeCheckoutOptions {
  /** Where the completed session's event is sent (signed with `webhookSecret`). */
  webhookUrl: string;
  webhookSecret: string;
}

export interface FakeStripeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The form body, flat: `line_items[0][price]` → value. */
  form: Record<string, string>;
}

export interface SubscriptionShape {
  id: string;
  customer: string;
  status: string;
  priceId: string;
  interval?: 'month' | 'year';
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  metadata?: Record<string, string>;
}

type Json = Record<string, unknown>;

export class FakeStripe {
  readonly requests: FakeStripeRequest[] = [];
  readonly sessions = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  /** Active promotion codes: code → id. */
  readonly promotionCodes = new Map<string, string>();
  /** Amounts of configured Stripe prices, for the sessions' amount_total. */
  readonly priceAmounts = new Map<string, number>();
  /** Paths whose next calls answer a Stripe API error with this status (each entry used once). */
  readonly failures: Array<{ path: string; status: number }> = [];
  private next = 0;
  private readonly sessionForms = new Map<string, Record<string, string>>();
  private readonly idempotent = new Map<string, { status: number; body: unknown }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly checkout?: FakeCheckoutOptions,
  ) {}

  static async start(checkout?: FakeCheckoutOptions): Promise<FakeStripe> {
    const holder: { fake?: FakeStripe } = {};
    const server = createServer((req, res) => void holder.fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeStripe(server, (server.address() as AddressInfo).port, checkout);
    return holder.fake;
  }

  /** The variables that point the API's Stripe SDK here. */
  env(): Record<string, string> {
    return { STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: String(this.port), STRIPE_API_PROTOCOL: 'http' };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  requestsTo(method: string, path: string): FakeStripeRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  /** A subscription object in Stripe's shape (items carry the period, as in current API versions). */
  subscription(shape: SubscriptionShape): Json {
    const end = shape.currentPeriodEnd ?? Math.floor(Date.now() / 1000) + 30 * 86400;
    return {
      id: shape.id,
      object: 'subscription',
      customer: shape.customer,
      status: shape.status,
      cancel_at_period_end: shape.cancelAtPeriodEnd ?? false,
      metadata: shape.metadata ?? {},
      items: {
        object: 'list',
        data: [
          {
            id: `si_${shape.id}`,
            object: 'subscription_item',
            current_period_start: end - 30 * 86400,
            current_period_end: end,
            price: {
              id: shape.priceId,
              object: 'price',
              recurring: { interval: shape.interval ?? 'month', interval_count: 1 },
            },
          },
        ],
        has_more: false,
      },
    };
  }

  /** Marks a stored Checkout Session complete (as Stripe does after payment). */
  complete(sessionId: string, extra: Json = {}): Json {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    Object.assign(session, { status: 'complete', payment_status: 'paid' }, extra);
    return session;
  }

  /** Checkout's payment page: pays the session, tells the webhook, sends the browser back to success_url. */
  private async payHosted(sessionId: string, res: ServerResponse): Promise<void> {
    const session = this.sessions.get(sessionId);
    const form = this.sessionForms.get(sessionId);
    if (!session || !form || !this.checkout) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('No such Checkout Session');
    }
    const extra: Json = { payment_intent: `pi_${sessionId}` };
    if (session.mode === 'subscription') {
      const subscriptionId = `sub_${sessionId}`;
      const metadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(form)) {
        const meta = key.match(/^subscription_data\[metadata\]\[(.+)\]$/);
        if (meta) metadata[meta[1]] = value;
      }
      this.subscriptions.set(
        subscriptionId,
        this.subscription({
          id: subscriptionId,
          customer: session.customer as string,
          status: 'active',
          priceId: form['line_items[0][price]'] ?? `price_inline_${sessionId}`,
          interval: form['line_items[0][price_data][recurring][interval]'] === 'year' ? 'year' : 'month',
          metadata,
        }),
      );
      Object.assign(extra, { subscription: subscriptionId, payment_intent: null });
    }
    const completed = this.complete(sessionId, extra);
    // As Stripe does: the new subscription's own event, then the completed session.
    const events: [string, Json][] = [];
    if (typeof extra.subscription === 'string') {
      events.push(['customer.subscription.created', this.subscriptions.get(extra.subscription) as Json]);
    }
    events.push(['checkout.session.completed', completed]);
    for (const [type, object] of events) {
      const payload = JSON.stringify({
        id: this.id('evt'),
        object: 'event',
        api_version: Stripe.API_VERSION,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      });
      const signature = new Stripe('sk_test_fake_signer').webhooks.generateTestHeaderString({
        payload,
        secret: this.checkout.webhookSecret,
      });
      const delivery = await fetch(this.checkout.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
      if (!delivery.ok) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        return void res.end(`The webhook answered ${delivery.status}: ${await delivery.text()}`);
      }
    }
    const back = String(session.success_url ?? '/').replace('{CHECKOUT_SESSION_ID}', sessionId);
    res.writeHead(303, { location: back });
    res.end();
  }

  private id(prefix: string): string {
    this.next += 1;
    return `${prefix}_${Date.now().toString(36)}${this.next}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query, headers: req.headers, form });
    const key = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const replay = typeof key === 'string' ? this.idempotent.get(`${url.pathname}:${key}`) : undefined;
    const send = (status: number, body: unknown) => {
      if (typeof key === 'string' && status < 500) this.idempotent.set(`${url.pathname}:${key}`, { status, body });
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': this.id('req') });
      res.end(JSON.stringify(body));
    };
    const missing = (what: string, id: string) =>
      send(404, {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such ${what}: '${id}'`,
          param: 'id',
        },
      });
    const path = url.pathname;
    if (replay) return send(replay.status, replay.body);
    const failure = this.failures.findIndex((f) => f.path === path);
    if (failure >= 0) {
      const [{ status }] = this.failures.splice(failure, 1);
      return send(status, {
        error: { type: 'invalid_request_error', message: 'The stand-in was told to refuse this' },
      });
    }
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/customers') {
      const id = this.id('cus');
      return send(200, { id, object: 'customer', email: form.email ?? null, metadata: metadataOf(form) });
    }
    if (method === 'GET' && path === '/v1/promotion_codes') {
      const id = this.promotionCodes.get(query.code ?? '');
      const data = id ? [{ id, object: 'promotion_code', code: query.code, active: true }] : [];
      return send(200, { object: 'list', data, has_more: false, url: '/v1/promotion_codes' });
    }
    if (method === 'GET' && this.checkout && (m = path.match(/^\/c\/pay\/([^/]+)$/))) {
      return this.payHosted(decodeURIComponent(m[1]), res);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const id = this.id(form.mode === 'payment' ? 'cs_test_pay' : 'cs_test');
      const checkoutBase = this.checkout ? `http://127.0.0.1:${this.port}` : 'https://checkout.stripe.com';
      const price = form['line_items[0][price]'];
      const amount = price
        ? (this.priceAmounts.get(price) ?? 0)
        : Number(form['line_items[0][price_data][unit_amount]'] ?? 0);
      const session: Json = {
        id,
        object: 'checkout.session',
        mode: form.mode,
        status: 'open',
        payment_status: 'unpaid',
        url: `${checkoutBase}/c/pay/${id}`,
        customer: form.customer ?? null,
        customer_email: form.customer_email ?? null,
        customer_details: { email: 'payer@example.com' },
        client_reference_id: form.client_reference_id ?? null,
        amount_total: amount,
        currency: form['line_items[0][price_data][currency]'] ?? 'usd',
        metadata: metadataOf(form),
        subscription: null,
        payment_intent: null,
        success_url: form.success_url ?? null,
      };
      this.sessions.set(id, session);
      this.sessionForms.set(id, form);
      return send(200, session);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const session = this.sessions.get(decodeURIComponent(m[1]));
      return session ? send(200, session) : missing('checkout.session', m[1]);
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      const id = this.id('bps');
      return send(200, {
        id,
        object: 'billing_portal.session',
        customer: form.customer,
        return_url: form.return_url ?? null,
        url: `https://billing.stripe.com/p/session/${id}`,
      });
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const sub = this.subscriptions.get(decodeURIComponent(m[1]));
      return sub ? send(200, sub) : missing('subscription', m[1]);
    }
    send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } });
  }
}

function metadataOf(form: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const m = key.match(/^metadata\[(.+)\]$/);
    if (m) out[m[1]] = value;
  }
  return out;
}
