// Local SMTP servers and the Slack receiver listen on 127.0.0.1; short retries so a retry fits in a test.
process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = 'true';
process.env.WEBHOOK_DELIVERY_ATTEMPTS = '3';
process.env.WEBHOOK_RETRY_DELAY_MS = '200';

import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, expectError, signUp, TestApp, TestUser, uniqueEmail } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

interface ReceivedMail {
  from: string;
  to: string[];
  user: string | null;
  raw: string;
}

/** A local SMTP server (no TLS) that records every mail it accepts and the account that signed in. */
class LocalSmtp {
  readonly mails: ReceivedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.username === 'mailer' && auth.password === 'smtp secret'
          ? callback(null, { user: auth.username })
          : callback(new Error('Invalid username or password')),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: (session.user as string | undefined) ?? null,
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  to(address: string) {
    return this.mails.filter((m) => m.to.includes(address));
  }

  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A Slack incoming webhook stand-in: records each POSTed body; answers from a script (then 200). */
class SlackReceiver {
  readonly posts: { path: string; body: { text?: string } }[] = [];
  /** Statuses to answer, per path, before 200s. */
  readonly scripts = new Map<string, number[]>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.posts.push({ path: req.url ?? '/', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        const script = this.scripts.get(req.url ?? '/') ?? [];
        res.statusCode = script.length ? script.shift()! : 200;
        res.end(res.statusCode < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string) {
    return this.posts.filter((p) => p.path === path);
  }

  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}

describe('integration settings take effect', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const instanceSmtp = new LocalSmtp();
  const workspaceSmtp = new LocalSmtp();
  const slack = new SlackReceiver();
  let savedSmtpUrl: string | undefined;

  beforeAll(async () => {
    await Promise.all([instanceSmtp.start(), workspaceSmtp.start(), slack.start()]);
    savedSmtpUrl = process.env.SMTP_URL;
    process.env.SMTP_URL = `smtp://127.0.0.1:${instanceSmtp.port}`;
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    if (savedSmtpUrl === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = savedSmtpUrl;
    await Promise.all([instanceSmtp.stop(), workspaceSmtp.stop(), slack.stop()]);
  });

  const setIntegrations = (user: TestUser, body: Record<string, unknown>) =>
    t.http().put('/api/settings/integrations').set(user.auth).send(body);
  const invite = (user: TestUser, email: string) =>
    t.http().post('/api/users').set(user.auth).send({ email, role: 'member' });

  describe('SMTP override', () => {
    it("sends the workspace's mail through its own SMTP server (account, from), none through the instance's", async () => {
      const owner = await signUp(t);
      const put = await setIntegrations(owner, {
        smtp: {
          host: '127.0.0.1',
          port: workspaceSmtp.port,
          secure: false,
          username: 'mailer',
          password: 'smtp secret',
          fromEmail: 'hello@acme.example',
          fromName: 'Acme Studio',
        },
      });
      expect(put.status).toBe(200);
      const invited = uniqueEmail('smtp');
      expect((await invite(owner, invited)).status).toBe(201);

      const [mail] = await waitFor('the mail at the workspace SMTP', async () =>
        workspaceSmtp.to(invited).length ? workspaceSmtp.to(invited) : undefined,
      );
      expect(mail.from).toBe('hello@acme.example');
      expect(mail.user).toBe('mailer');
      expect(mail.raw).toMatch(/^From: "?Acme Studio"? <hello@acme\.example>/m);
      expect(mail.raw).toMatch(/Invitation token: /);
      expect(instanceSmtp.to(invited)).toEqual([]);
      const [row] = await t.db.query(`SELECT status, workspace_id FROM mail_outbox WHERE "to" = $1`, [invited]);
      expect(row).toEqual({ status: 'sent', workspace_id: owner.workspaceId });
    });

    it('keeps the instance SMTP for other workspaces and for mail that belongs to no workspace', async () => {
      const owner = await signUp(t);
      await setIntegrations(owner, { smtp: { host: '127.0.0.1', port: workspaceSmtp.port, secure: false } }).expect(
        200,
      );
      const plain = await signUp(t);
      const invited = uniqueEmail('plain');
      expect((await invite(plain, invited)).status).toBe(201);
      await waitFor('the mail at the instance SMTP', async () => (instanceSmtp.to(invited).length ? true : undefined));
      expect(workspaceSmtp.to(invited)).toEqual([]);

      // A password reset is the person's own, not a workspace's.
      await t
        .http()
        .post('/api/auth/password/reset')
        .set('X-Forwarded-For', owner.ip)
        .send({ email: owner.email })
        .expect(202);
      await waitFor('the reset at the instance SMTP', async () =>
        instanceSmtp.to(owner.email).length ? true : undefined,
      );
      expect(workspaceSmtp.to(owner.email)).toEqual([]);
    });

    it('records the mail as failed when the workspace SMTP refuses it, and never falls back to the instance', async () => {
      const owner = await signUp(t);
      await setIntegrations(owner, {
        smtp: { host: '127.0.0.1', port: workspaceSmtp.port, secure: false, username: 'mailer', password: 'wrong' },
      }).expect(200);
      const invited = uniqueEmail('refused');
      expect((await invite(owner, invited)).status).toBe(201);
      const [row] = await t.db.query(`SELECT status, error FROM mail_outbox WHERE "to" = $1`, [invited]);
      expect(row.status).toBe('failed');
      expect(row.error).toMatch(/Invalid username or password|auth/i);
      expect(instanceSmtp.to(invited)).toEqual([]);
      expect(workspaceSmtp.to(invited)).toEqual([]);
    });
  });

  it('has no Stripe keys any more (read by nothing): 400 for them, absent from the answer', async () => {
    const owner = await signUp(t);
    for (const field of ['stripeSecretKey', 'stripeWebhookSecret']) {
      const res = await setIntegrations(owner, { [field]: 'sk_test_51Hxyzxyzxyzxyz9876' });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    }
    const current = await t.http().get('/api/settings/integrations').set(owner.auth).expect(200);
    expect(Object.keys(current.body)).not.toEqual(expect.arrayContaining(['stripeSecretKey']));
    expect(Object.keys(current.body)).not.toEqual(expect.arrayContaining(['stripeWebhookSecret']));
  });

  describe('Slack notifications', () => {
    it('posts the events switched on to the Slack webhook URL, and not the others', async () => {
      const owner = await signUp(t);
      await setIntegrations(owner, { slackWebhookUrl: `${slack.url}/hooks/a` }).expect(200);
      const notifications = await t.http().get('/api/settings/notifications').set(owner.auth);
      expect(notifications.body.slack).toEqual({
        newLead: true,
        leadStatusChanged: false,
        campaignStatusChanged: true,
        importCompleted: false,
      });

      await t.http().post('/api/leads').set(owner.auth).send({ name: 'Ada Lovelace' }).expect(201);
      const [post] = await waitFor('the Slack post', async () =>
        slack.at('/hooks/a').length ? slack.at('/hooks/a') : undefined,
      );
      expect(post.body).toEqual({ text: 'New lead: Ada Lovelace' });

      // Switched off: no post for the next lead. An outgoing webhook of the same event witnesses that the
      // worker handled it (every subscriber of an event runs in the same dispatch) before it is switched on again.
      await t
        .http()
        .post('/api/webhooks/endpoints')
        .set(owner.auth)
        .send({ url: `${slack.url}/witness`, events: ['lead.created'] })
        .expect(201);
      await t
        .http()
        .put('/api/settings/notifications')
        .set(owner.auth)
        .send({ slack: { newLead: false } })
        .expect(200);
      await t.http().post('/api/leads').set(owner.auth).send({ name: 'Grace Hopper' }).expect(201);
      await waitFor('the witness of the second lead', async () => (slack.at('/witness').length ? true : undefined));
      await t
        .http()
        .put('/api/settings/notifications')
        .set(owner.auth)
        .send({ slack: { newLead: true } })
        .expect(200);
      await t.http().post('/api/leads').set(owner.auth).send({ name: 'Katherine Johnson' }).expect(201);
      await waitFor('the third lead on Slack', async () => (slack.at('/hooks/a').length >= 2 ? true : undefined));
      expect(slack.at('/hooks/a').map((p) => p.body.text)).toEqual([
        'New lead: Ada Lovelace',
        'New lead: Katherine Johnson',
      ]);
    });

    it('retries a failed post, and sends nothing for a workspace without a Slack URL', async () => {
      const owner = await signUp(t);
      const without = await signUp(t);
      await setIntegrations(owner, { slackWebhookUrl: `${slack.url}/hooks/retry` }).expect(200);
      slack.scripts.set('/hooks/retry', [503]);
      await t.http().post('/api/leads').set(without.auth).send({ name: 'Nobody on Slack' }).expect(201);
      await t.http().post('/api/leads').set(owner.auth).send({ name: 'Retried lead' }).expect(201);
      await waitFor('the retried post', async () => (slack.at('/hooks/retry').length >= 2 ? true : undefined));
      expect(slack.at('/hooks/retry').map((p) => p.body.text)).toEqual([
        'New lead: Retried lead',
        'New lead: Retried lead',
      ]);
      expect(slack.posts.some((p) => p.body.text?.includes('Nobody on Slack'))).toBe(false);
    });
  });
});
