import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  AppConfig,
  clientError,
  createValidationPipe,
  frameworkError,
  guardInput,
  keepRawBody,
  markWorkspaceWrites,
  registerBodyParsers,
  MAX_JSON_DEPTH,
  refuseWhileClosing,
  logRequests,
  MetricsService,
  requestIdFor,
  type Principal,
  type RequestContext,
  runInRequestContext,
  ROOT_LOGGER,
  WorkspaceChanges,
} from '@crescendo/platform';
import { SIGNED_WEBHOOK_PATHS } from '@crescendo/webhooks';
import { STRIPE_WEBHOOK_PATHS } from '@crescendo/billing';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiModule } from './api.module';
import { registerQueueDashboard } from './queue-dashboard';
import { sortOpenApi } from './openapi';

/** What an API answer needs (no framing, no sniffing, HTTPS only, not cached); a route may still set its own Cache-Control. */
const API_SECURITY_HEADERS: [string, string][] = [
  ['cache-control', 'no-store'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
];
const isApiPath = (url: string) => url.startsWith('/api/') || url === '/api' || url.startsWith('/api?');

/**
 * A request's context, read from the request when asked: most requests never ask for the address (behind a
 * trusted proxy, a walk of X-Forwarded-For) nor the user agent.
 */
class HttpRequestContext implements RequestContext {
  readonly requestId: string;
  readonly #request: FastifyRequest;

  constructor(request: FastifyRequest) {
    this.requestId = String(request.id);
    this.#request = request;
  }

  get ip(): string | null {
    return this.#request.ip ?? null;
  }

  get userAgent(): string | null {
    const userAgent = this.#request.headers['user-agent'];
    return typeof userAgent === 'string' ? userAgent.slice(0, 512) : null;
  }

  get principal(): Principal | undefined {
    return this.#request.principal;
  }
}

export interface CreateApiAppOptions {
  /** Use Nest's own console logger instead of pino (tests keep output quiet). */
  bufferLogs?: boolean;
  logger?: false;
  /** Build the module graph without instantiating providers or connecting (OpenAPI generation). */
  preview?: boolean;
  /** Makes the Nest app on the adapter; NestFactory unless a test compiles a testing module with overrides. */
  create?: (adapter: FastifyAdapter, options: NestApplicationOptions) => Promise<NestFastifyApplication>;
}

/** Builds the whole HTTP app; main.ts, the tests and the OpenAPI script all go through here. */
export async function createApiApp(options: CreateApiAppOptions = {}): Promise<NestFastifyApplication> {
  const config = new AppConfig();
  const adapter = new FastifyAdapter({
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    // Errors answered outside the exception filter, written in the error shape (see input-guard.ts).
    return503OnClosing: false,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
  });
  const create = options.create ?? ((a, o) => NestFactory.create<NestFastifyApplication>(ApiModule, a, o));
  const app = await create(adapter, {
    bufferLogs: options.bufferLogs ?? true,
    logger: options.logger,
    preview: options.preview,
    abortOnError: false,
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  keepRawBody(fastify, SIGNED_WEBHOOK_PATHS);
  registerBodyParsers(adapter, STRIPE_WEBHOOK_PATHS);
  // Hooks on every request take a callback rather than return a promise: one allocation less each.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    runInRequestContext(new HttpRequestContext(request), done);
  });
  refuseWhileClosing(fastify);
  guardInput(fastify);
  if (!options.preview) {
    markWorkspaceWrites(fastify, app.get(WorkspaceChanges));
    const metrics = app.get(MetricsService);
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
    logRequests(fastify, app.get(ROOT_LOGGER));
  }

  // HTML (the SPA, Swagger UI, the queue dashboard) gets helmet's whole set, built once (@fastify/helmet
  // rebuilt it, CSP parsing included, on every request). /api answers are JSON, CSV or event streams: they get
  // the short set OWASP's REST cheat sheet gives, set on the raw response so that hijacked streams carry it too.
  const documentHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'"],
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isApiPath(request.url))
      return documentHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
    for (const [name, value] of API_SECURITY_HEADERS) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'],
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1 } });

  app.setGlobalPrefix('api', { exclude: [] });
  app.useGlobalPipes(createValidationPipe());

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Crescendo API',
  });
  if (!options.preview) await registerQueueDashboard(app);

  const webDist = config.env.WEB_DIST_DIR ? resolve(config.env.WEB_DIST_DIR) : null;
  if (webDist && existsSync(resolve(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Crescendo API')
    .setDescription(
      'REST API of Crescendo, an AI growth platform: leads, campaigns, AI agents, multi-model chat, content, billing, analytics and GDPR. ' +
        'Errors always use the ErrorResponseDto shape. JSON bodies nest at most ' +
        `${MAX_JSON_DEPTH} levels (400 JSON_TOO_DEEP) and no text may hold a NUL character (400 INVALID_CHARACTER).`,
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This instance')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addCookieAuth('refreshToken', { type: 'apiKey', in: 'cookie', name: 'refreshToken' }, 'refreshCookie')
    .addCookieAuth(
      'accessToken',
      {
        type: 'apiKey',
        in: 'cookie',
        name: 'accessToken',
        description:
          'Cookie session (sign in with tokenDelivery=session): POST, PUT, PATCH and DELETE also need the X-CSRF-Token header, the value of the csrf cookie',
      },
      'sessionCookie',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'CRON_SECRET' }, 'cronSecret')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  return sortOpenApi(document);
}
