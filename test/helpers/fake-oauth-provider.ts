import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The person the provider signs in next, in its own words. */
export interface GoogleAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
}
export interface GitHubAccount {
  id: number;
  login: string;
  name: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

interface Grant {
  account: GoogleAccount | GitHubAccount;
  clientId: string;
  redirectUri: string;
  challenge: string;
}

/**
 * A small OAuth 2.0 provider on 127.0.0.1 speaking Google's and GitHub's shapes: `/authorize` (signs in
 * whoever `nextAccount` is and redirects back with a code), `/token` (authorization_code with the client
 * secret and PKCE S256; GitHub answers form-encoded as it does by default), Google's `/userinfo`,
 * GitHub's `/user` and `/user/emails`.
 */
export class FakeOAuthProvider {
  nextAccount: GoogleAccount | GitHubAccount | null = null;
  /** Token requests received, refused ones included. */
  tokenRequests = 0;
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, GoogleAccount | GitHubAccount>();
  private server?: Server;
  url = '';

  constructor(
    readonly shape: 'google' | 'github',
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/authorize') return this.authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/token') return this.token(await body(req), res);
    const account = this.tokens.get(bearer(req, url) ?? '');
    if (!account) return send(res, 401, { error: 'invalid_token' });
    if (this.shape === 'google' && url.pathname === '/userinfo') return send(res, 200, account);
    const github = account as GitHubAccount;
    if (this.shape === 'github' && url.pathname === '/user') {
      const primary = github.emails.find((e) => e.primary);
      return send(res, 200, { id: github.id, login: github.login, name: github.name, email: primary?.email ?? null });
    }
    if (this.shape === 'github' && url.pathname === '/user/emails') {
      return send(
        res,
        200,
        github.emails.map((e) => ({ ...e, visibility: e.primary ? 'public' : null })),
      );
    }
    send(res, 404, { error: 'not_found' });
  }

  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.clientId || q.get('response_type') !== 'code' || !redirectUri) {
      return send(res, 400, { error: 'invalid_request' });
    }
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 required' });
    }
    if (!this.nextAccount) return send(res, 500, { error: 'no account set for the test' });
    const code = randomBytes(12).toString('hex');
    this.grants.set(code, {
      account: this.nextAccount,
      clientId: this.clientId,
      redirectUri,
      challenge: q.get('code_challenge')!,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (q.get('state')) back.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { Location: back.toString() }).end();
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    this.tokenRequests++;
    const grant = this.grants.get(form.get('code') ?? '');
    this.grants.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const valid =
      form.get('grant_type') === 'authorization_code' &&
      grant &&
      form.get('client_id') === grant.clientId &&
      form.get('client_secret') === this.clientSecret &&
      form.get('redirect_uri') === grant.redirectUri &&
      challenge === grant.challenge;
    if (!valid) return send(res, 400, { error: 'invalid_grant' });
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, grant.account);
    if (this.shape === 'github') {
      res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' }).end(
        new URLSearchParams({
          access_token: accessToken,
          token_type: 'bearer',
          scope: 'read:user,user:email',
        }).toString(),
      );
      return;
    }
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid email profile',
    });
  }
}

function send(res: ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
}

function bearer(req: IncomingMessage, url: URL): string | undefined {
  return (
    req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? url.searchParams.get('access_token') ?? undefined
  );
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}
