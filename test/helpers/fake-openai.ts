/**
 * A fake OpenAI server for tests: node:http on a random local port, speaking `POST …/chat/completions`
 * (plain JSON, and `stream: true` Server-Sent Events in OpenAI's exact chunk format, with the final usage
 * chunk when `stream_options.include_usage` is set). Any path ending in /chat/completions is accepted, so
 * Azure's /openai/deployments/{model}/chat/completions works too; GET …/models lists `models`.
 *
 *   const fake = await FakeOpenAI.start();
 *   process.env.AI_PROVIDERS = JSON.stringify([fake.provider({ name: 'GPT-4' })]); // before createTestApp()
 *   fake.reply({ status: 429, retryAfter: 0 }, { content: 'Hello there' });     // scripted, in order
 *   … exercise the app …
 *   expect(fake.requests).toHaveLength(2);               // what the server received (body parsed)
 *   fake.reset();                                        // forget the queue and the requests
 *   await fake.close();                                  // in afterAll
 *
 * Each request takes the next scripted reply (FakeReply); when the queue is empty it gets the default
 * echo reply: content `echo: <last user message>`, usage prompt_tokens = words in all messages,
 * completion_tokens = words in the content. `fake.setDefault(reply)` changes the default (e.g. always 500).
 * A reply may also be a function of the request (`(req) => FakeReply`), to answer with what it was sent.
 * A reply may set: content, chunks (stream deltas; default: the content split after each space), usage
 * (or null: none sent), status (≠ 200: an OpenAI error body; 429 with retryAfter seconds as Retry-After),
 * delayMs (before answering), chunkDelayMs (between stream chunks), finishReason, and json (a raw body).
 *
 * Media: POST …/images/generations, …/audio/speech and …/audio/transcriptions answer real files (a PNG, an MP3,
 * verbose_json segments; see fake-openai-media.ts), recorded and scripted like chat calls (status, delayMs, json).
 *
 * Observations: `requests` (method, path, headers, body, and for each `closedEarly` when the client went
 * away before the answer ended: an abort), `inFlight` and `maxInFlight` (concurrency seen), and
 * `waitForRequests(n)`.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerMedia, mediaRoute, type MediaRoute, parseMediaBody } from './fake-openai-media';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface FakeReply {
  /** Answer text; default: `echo: <last user message>`. */
  content?: string;
  /** Stream deltas, in order (their concatenation is the content); default: content split after spaces. */
  chunks?: string[];
  /** Token counts; default: word counts (see above); null: no usage at all. */
  usage?: FakeUsage | null;
  /** HTTP status; anything but 200 answers OpenAI's error body. */
  status?: number;
  /** Retry-After header, seconds (with a 429 or 5xx). */
  retryAfter?: number;
  /** Error message of a non-200 reply. */
  message?: string;
  /** Wait before answering (headers included): timeouts, concurrency. */
  delayMs?: number;
  /** Wait between SSE chunks: slow streams, aborts. */
  chunkDelayMs?: number;
  finishReason?: 'stop' | 'length' | 'content_filter';
  /** A raw JSON body sent as is, status 200 unless `status` (for malformed answers). */
  json?: unknown;
}

/** A reply computed from the request it answers. */
export type FakeReplyFn = (request: FakeRequest) => FakeReply;

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (messages, model, temperature, stream, response_format, …). */
  body: Record<string, any>;
  /** True when the client closed the connection before the answer was complete (an abort or a timeout). */
  closedEarly: boolean;
}

export interface FakeProviderOptions {
  name?: string;
  kind?: 'openai' | 'openai-compatible';
  models?: string[];
  defaultModel?: string;
  pricing?: Record<string, { inputPer1k: number; outputPer1k: number }>;
  timeoutMs?: number;
  maxRetries?: number;
  maxConcurrency?: number;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export class FakeOpenAI {
  readonly requests: FakeRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private queue: Array<FakeReply | FakeReplyFn> = [];
  private fallback: FakeReply | FakeReplyFn = {};
  private waiters: { n: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeOpenAI> {
    const holder: { fake?: FakeOpenAI } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeOpenAI(server, (server.address() as AddressInfo).port);
    return holder.fake;
  }

  /** The OpenAI base URL (with /v1), as a provider's baseUrl. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** An AI_PROVIDERS entry pointing here: model `fake-model`, priced 0.001 / 0.002 USD per 1000 tokens. */
  provider(options: FakeProviderOptions = {}): Record<string, unknown> {
    const models = options.models ?? ['fake-model', 'fake-model-mini'];
    return {
      name: options.name ?? 'Fake',
      kind: options.kind ?? 'openai-compatible',
      baseUrl: this.baseUrl,
      apiKey: 'sk-fake',
      models,
      defaultModel: options.defaultModel ?? models[0],
      pricing: options.pricing ?? { [models[0]]: { inputPer1k: 0.001, outputPer1k: 0.002 } },
      timeoutMs: options.timeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 2,
      maxConcurrency: options.maxConcurrency ?? 4,
      breaker: { errorThresholdPercentage: 50, resetTimeoutMs: 30000, volumeThreshold: 5, ...options.breaker },
    };
  }

  /** Queues scripted replies, taken one per request in order. */
  reply(...replies: Array<FakeReply | FakeReplyFn>): this {
    this.queue.push(...replies);
    return this;
  }

  /** The reply used when the queue is empty ({} = the echo reply). */
  setDefault(reply: FakeReply | FakeReplyFn): this {
    this.fallback = reply;
    return this;
  }

  /** Forgets the queue, the default, the recorded requests and the concurrency counters. */
  reset(): void {
    this.queue = [];
    this.fallback = {};
    this.requests.length = 0;
    this.maxInFlight = this.inFlight;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once `n` requests have been received in total. */
  waitForRequests(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    if (req.method === 'GET' && path.endsWith('/models')) {
      return json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'fake' }] });
    }
    const media = req.method === 'POST' ? mediaRoute(path) : null;
    if (media) return this.handleMedia(media, req, res, bytes);
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      return json(res, 404, openAiError(`Unknown route ${req.method} ${path}`, 'invalid_request_error'));
    }
    let body: Record<string, any>;
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      return json(res, 400, openAiError('Invalid JSON body', 'invalid_request_error'));
    }
    const recorded: FakeRequest = { method: req.method, path, headers: req.headers, body, closedEarly: false };
    this.requests.push(recorded);
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));
    const next = this.queue.shift() ?? this.fallback;
    const reply = typeof next === 'function' ? next(recorded) : next;

    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let open = true;
    res.on('close', () => {
      if (!res.writableFinished) recorded.closedEarly = true;
      if (open) this.inFlight--;
      open = false;
    });
    const alive = () => open && !res.destroyed;

    if (reply.delayMs) await pause(reply.delayMs, alive);
    if (!alive()) return;
    if (reply.status && reply.status !== 200) {
      if (reply.retryAfter !== undefined) res.setHeader('retry-after', String(reply.retryAfter));
      const type =
        reply.status === 429 ? 'rate_limit_error' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
      return json(res, reply.status, reply.json ?? openAiError(reply.message ?? `Fake error ${reply.status}`, type));
    }
    if (reply.json !== undefined) return json(res, 200, reply.json);

    const model = String(body.model ?? 'fake-model');
    const content = reply.content ?? `echo: ${lastUserMessage(body)}`;
    const usage =
      reply.usage === null
        ? null
        : (reply.usage ?? { prompt_tokens: promptWords(body), completion_tokens: words(content) });
    const id = `chatcmpl-fake${this.requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const finish = reply.finishReason ?? 'stop';

    if (!body.stream) {
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        ...(usage ? { usage: withTotal(usage) } : {}),
        system_fingerprint: null,
      });
    }

    const includeUsage = Boolean(body.stream_options?.include_usage);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    send(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const piece of reply.chunks ?? content.match(/\S*\s*/g)!.filter(Boolean)) {
      if (reply.chunkDelayMs) await pause(reply.chunkDelayMs, alive);
      if (!alive()) return;
      send(chunk({ content: piece }, null));
    }
    send(chunk({}, finish));
    if (includeUsage && usage) {
      send({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: null,
        choices: [],
        usage: withTotal(usage),
      });
    }
    send('[DONE]');
    res.end();
  }

  /**
   * Images, speech and transcriptions: recorded like chat calls and scripted the same way (status, delayMs,
   * json); a 200 without `json` answers real media (see fake-openai-media.ts).
   */
  private async handleMedia(route: MediaRoute, req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const path = (req.url ?? '').split('?')[0];
    const body = parseMediaBody(req.headers['content-type'], raw);
    const recorded: FakeRequest = { method: req.method!, path, headers: req.headers, body, closedEarly: false };
    this.requests.push(recorded);
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));
    const next = this.queue.shift() ?? this.fallback;
    const reply = typeof next === 'function' ? next(recorded) : next;
    res.on('close', () => {
      if (!res.writableFinished) recorded.closedEarly = true;
    });
    if (reply.delayMs) await pause(reply.delayMs, () => !res.destroyed);
    if (res.destroyed) return;
    if (reply.status && reply.status !== 200) {
      if (reply.retryAfter !== undefined) res.setHeader('retry-after', String(reply.retryAfter));
      const type =
        reply.status === 429 ? 'rate_limit_error' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
      return json(res, reply.status, reply.json ?? openAiError(reply.message ?? `Fake error ${reply.status}`, type));
    }
    if (reply.json !== undefined) return json(res, 200, reply.json);
    const answer = await answerMedia(route, body);
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': answer.contentType });
    res.end(answer.body);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const openAiError = (message: string, type: string) => ({ error: { message, type, param: null, code: null } });

const withTotal = (u: FakeUsage) => ({ ...u, total_tokens: u.prompt_tokens + u.completion_tokens });

function lastUserMessage(body: Record<string, any>): string {
  const messages: { role: string; content: unknown }[] = Array.isArray(body.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

function promptWords(body: Record<string, any>): number {
  const messages: { content: unknown }[] = Array.isArray(body.messages) ? body.messages : [];
  return messages.reduce((n, m) => n + (typeof m.content === 'string' ? words(m.content) : 0), 0);
}

/** Waits `ms`, checking every 10 ms whether the client is still there (so an abort ends the wait early). */
async function pause(ms: number, alive: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && alive()) {
    await new Promise((r) => setTimeout(r, Math.min(10, until - Date.now())));
  }
}
