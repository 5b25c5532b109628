import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { billingCatalogue, type BillingCatalogue } from './billing-catalogue';
import { EnvDto } from './env.dto';

export class ConfigError extends Error {}

/** Parses and validates the environment; throws one error naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): EnvDto {
  // An empty value means "not set", so the default applies (as in .env.example's blank lines).
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvDto, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  - ${e.property}: ${reasonsOf(e).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}

/** Own and nested reasons (AI_PROVIDERS is an array of objects), nested ones prefixed with their path. */
function reasonsOf(error: ValidationError, path = ''): string[] {
  const own = Object.values(error.constraints ?? {}).map((r) => (path ? `${path}: ${r}` : r));
  const nested = (error.children ?? []).flatMap((c) => reasonsOf(c, path ? `${path}.${c.property}` : c.property));
  return [...own, ...nested];
}

/** The one typed view of configuration; domain code never reads process.env. */
@Injectable()
export class AppConfig {
  readonly env: EnvDto;

  constructor(env?: EnvDto) {
    this.env = env ?? loadEnv();
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get adminEmails(): string[] {
    return splitList(this.env.ADMIN_EMAILS).map((e) => e.toLowerCase());
  }

  /** Fastify's trustProxy: the client address is the one the last trusted hop saw (rightmost untrusted entry). */
  get trustProxy(): false | number | string[] {
    const setting = this.env.TRUST_PROXY;
    return setting === 0 ? false : setting;
  }

  /** The plans and message packs for sale, with the limits each plan grants. */
  get billingCatalogue(): BillingCatalogue {
    return billingCatalogue(this.env);
  }

  get corsOrigins(): string[] {
    return splitList(this.env.CORS_ORIGINS);
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
