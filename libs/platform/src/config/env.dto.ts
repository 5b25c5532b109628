import { Transform } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AiProviderConfig, AiProvidersConsistent, parseAiProviders } from './ai-providers.dto';
import {
  BillingPlansValid,
  MessagePacksValid,
  parseJsonArray,
  type CatalogueMessagePack,
  type CataloguePlan,
} from './billing-catalogue';
import { parseTrustProxy, TrustProxyValid, type TrustProxySetting } from './trust-proxy';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

const HTTP_URL = /^https?:\/\/.+/;

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

/** Every environment variable the apps read. Validated once at start; a bad one stops the process. */
export class EnvDto {
  @IsOptional() @IsEnum(NodeEnv) NODE_ENV: NodeEnv = NodeEnv.Development;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsOptional() @IsString() HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;
  @IsOptional() @Matches(/^[a-zA-Z0-9_:-]+$/) REDIS_PREFIX = 'crescendo';

  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' }) JWT_SECRET: string;
  @IsOptional() @IsString() JWT_ISSUER = 'crescendo';
  @IsOptional() @IsString() JWT_AUDIENCE = 'crescendo-api';
  @IsOptional() @Transform(toInt) @IsInt() @Min(30) @Max(86400) JWT_ACCESS_TTL_SECONDS = 900;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(90) REFRESH_TTL_DAYS = 7;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(365) REFRESH_REMEMBER_ME_TTL_DAYS = 30;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(120) REFRESH_REUSE_GRACE_SECONDS = 10;

  @IsOptional() @Transform(toBool) @IsBoolean() COOKIE_SECURE = true;
  @IsOptional() @IsIn(['strict', 'lax', 'none']) COOKIE_SAMESITE: 'strict' | 'lax' | 'none' = 'strict';
  @IsOptional() @IsString() CORS_ORIGINS = '';
  /**
   * Which proxies in front of the API to believe about the client address: a hop count (`1` behind one
   * nginx) or a comma-separated list of proxy addresses/CIDRs. `true` means one hop, `false` none.
   */
  @IsOptional() @Transform(parseTrustProxy) @Validate(TrustProxyValid) TRUST_PROXY: TrustProxySetting = 0;

  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'SETTINGS_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
  })
  SETTINGS_ENCRYPTION_KEY: string;

  @IsString() @MinLength(16, { message: 'CRON_SECRET must be at least 16 characters' }) CRON_SECRET: string;
  @IsOptional() @IsString() ADMIN_EMAILS = '';
  /** Bearer token of GET /api/metrics and of the detailed GET /api/health. Empty: metrics closed to everyone. */
  @ValidateIf((env: EnvDto) => !!env.METRICS_TOKEN)
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters (or empty: metrics closed)' })
  METRICS_TOKEN = '';

  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;
  @IsOptional() @IsString() MAIL_FROM = 'Crescendo <no-reply@crescendo.local>';
  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'APP_URL must be an http(s) URL' }) APP_URL =
    'http://localhost:3000';

  /**
   * Sign-in with Google and GitHub: a provider is on when its client id is set. The endpoint URLs default to
   * the providers' own; tests point them at a local provider. Redirect URI to register at the provider:
   * `APP_URL/api/auth/oauth/<google|github>/callback`.
   */
  @IsOptional() @IsString() GOOGLE_CLIENT_ID = '';
  @ValidateIf((env: EnvDto) => !!env.GOOGLE_CLIENT_ID)
  @IsString()
  @MinLength(1, { message: 'GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set' })
  GOOGLE_CLIENT_SECRET = '';
  @IsOptional() @Matches(HTTP_URL) GOOGLE_AUTHORIZATION_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
  @IsOptional() @Matches(HTTP_URL) GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
  /** OpenID Connect userinfo (`sub`, `email`, `email_verified`, `name`); the path must end in /userinfo. */
  @IsOptional() @Matches(HTTP_URL) GOOGLE_USERINFO_URL = 'https://openidconnect.googleapis.com/v1/userinfo';
  @IsOptional() @IsString() GITHUB_CLIENT_ID = '';
  @ValidateIf((env: EnvDto) => !!env.GITHUB_CLIENT_ID)
  @IsString()
  @MinLength(1, { message: 'GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set' })
  GITHUB_CLIENT_SECRET = '';
  @IsOptional() @Matches(HTTP_URL) GITHUB_AUTHORIZATION_URL = 'https://github.com/login/oauth/authorize';
  @IsOptional() @Matches(HTTP_URL) GITHUB_TOKEN_URL = 'https://github.com/login/oauth/access_token';
  @IsOptional() @Matches(HTTP_URL) GITHUB_USER_URL = 'https://api.github.com/user';
  @IsOptional() @Matches(HTTP_URL) GITHUB_EMAILS_URL = 'https://api.github.com/user/emails';

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) LOG_RETENTION_DAYS = 90;

  @IsOptional() @IsString() WEB_DIST_DIR?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(120000) SHUTDOWN_TIMEOUT_MS = 10000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64) WORKER_CONCURRENCY = 4;
  /** The worker's GET /api/health for orchestrators' probes; 0: none. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) WORKER_HEALTH_PORT = 0;
  /**
   * A worker holds a job's lock this long and renews it every half of it; a worker that dies (kill -9, OOM)
   * stops renewing, and the others' stalled-job check, every WORKER_STALLED_INTERVAL_MS, puts the job back in
   * the queue: a crashed job is running again within about the sum of the two (20 s by default).
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(2000) @Max(300_000) WORKER_LOCK_DURATION_MS = 15_000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(300_000) WORKER_STALLED_INTERVAL_MS = 5_000;
  /** Times a job may be found stalled (its worker died) and put back before it fails for good. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(20) WORKER_MAX_STALLED_COUNT = 2;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_GENERAL_PER_MINUTE = 100;

  /** Shared by the API and the worker: uploads awaiting import, job reports and exports. */
  @IsOptional() @IsString() FILES_DIR = './var/files';
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) @Max(7 * 86400) DOWNLOAD_LINK_TTL_SECONDS = 3600;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(365) JOB_FILES_RETENTION_DAYS = 7;
  /** Largest file POST /api/leads/import accepts (413 FILE_TOO_LARGE above). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100 * 1024 * 1024) IMPORT_MAX_BYTES = 50 * 1024 * 1024;
  /** Largest file POST /api/studio/upload accepts (400 FILE_TOO_LARGE above). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100 * 1024 * 1024) STUDIO_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;
  /**
   * Storage quota of a workspace's studio assets, in MB, for every plan; 0: each plan's storageMb (BILLING_PLANS).
   * Uploads and generated media past it answer 413 STORAGE_QUOTA_EXCEEDED.
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) STUDIO_STORAGE_QUOTA_MB = 0;
  /** Where studio assets live: `local` (under FILES_DIR) or `s3` (any S3-compatible object storage). */
  @IsOptional() @IsIn(['local', 's3']) STORAGE_DRIVER: 'local' | 's3' = 'local';
  /** S3 endpoint (MinIO, R2…); empty: AWS's own for S3_REGION. */
  @IsOptional() @IsString() S3_ENDPOINT = '';
  @IsOptional() @IsString() S3_BUCKET = '';
  @IsOptional() @IsString() S3_REGION = 'us-east-1';
  @IsOptional() @IsString() S3_ACCESS_KEY_ID = '';
  @IsOptional() @IsString() S3_SECRET_ACCESS_KEY = '';
  /** Path-style URLs (bucket in the path): MinIO and most self-hosted servers need it. */
  @IsOptional() @Transform(toBool) @IsBoolean() S3_FORCE_PATH_STYLE = false;
  /** Exports up to this many rows stream in the answer; larger ones become a background job (202). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) EXPORT_SYNC_MAX_ROWS = 10000;

  /** Lets outgoing webhooks reach loopback/private addresses (tests, or an on-premises receiver). Off by default: SSRF. */
  @IsOptional() @Transform(toBool) @IsBoolean() WEBHOOKS_ALLOW_PRIVATE_URLS = false;
  /** Outgoing deliveries: tries per (event, endpoint), first retry delay (doubling), failures in a row that disable an endpoint. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(20) WEBHOOK_DELIVERY_ATTEMPTS = 6;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(3_600_000) WEBHOOK_RETRY_DELAY_MS = 30_000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) WEBHOOK_ENDPOINT_FAILURE_LIMIT = 10;
  /** Days the inbound and outgoing webhook delivery logs are kept (also how long an inbound replay is recognised). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

  /** JSON array of AI providers (see AiProviderConfig and .env.example); empty: AI routes answer 503. */
  @IsOptional()
  @Transform(parseAiProviders)
  @IsArray({ message: 'AI_PROVIDERS must be valid JSON: an array of provider objects (see .env.example)' })
  @ValidateNested({ each: true })
  @Validate(AiProvidersConsistent)
  AI_PROVIDERS: AiProviderConfig[] = [];
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(2592000) AI_CACHE_TTL_SECONDS = 3600;
  /** A streamed chat answer whose client left without resuming within this many seconds is aborted. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(600) CHAT_STREAM_RESUME_SECONDS = 30;
  /** Monthly quota of POST /api/content/ai-generate per workspace, by the workspace's plan (unknown plans: free). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) AI_QUOTA_FREE = 20;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) AI_QUOTA_PRO = 500;
  /** The `enterprise` plan (the seeds' top plan; `business` is read as the same). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) AI_QUOTA_ENTERPRISE = 5000;

  /** Stripe secret key (sk_…); empty: billing routes answer 503 BILLING_NOT_CONFIGURED and every workspace is on its plan as stored. */
  @IsOptional() @IsString() STRIPE_SECRET_KEY = '';
  /** Signing secret (whsec_…) of the Stripe webhook endpoint; empty: the webhook answers 503. */
  @IsOptional() @IsString() STRIPE_WEBHOOK_SECRET = '';
  /** Where the Stripe SDK sends its calls; empty: api.stripe.com. Set for a local stand-in (tests). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+$/, { message: 'STRIPE_API_HOST must be a host name or address' })
  STRIPE_API_HOST?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535) STRIPE_API_PORT?: number;
  @IsOptional() @IsIn(['http', 'https']) STRIPE_API_PROTOCOL?: 'http' | 'https';
  /** JSON array of plans (id, name, prices per cycle with optional Stripe price ids, limits); empty: the built-in catalogue. */
  @IsOptional() @Transform(parseJsonArray) @Validate(BillingPlansValid) BILLING_PLANS: CataloguePlan[] | null = null;
  /** JSON array of message packs (id, name, credits, price); empty: the built-in packs. */
  @IsOptional()
  @Transform(parseJsonArray)
  @Validate(MessagePacksValid)
  BILLING_MESSAGE_PACKS: CatalogueMessagePack[] | null = null;
}
