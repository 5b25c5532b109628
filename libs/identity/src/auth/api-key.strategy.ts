import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-strategy';
import { API_KEY_STRATEGY, Principal } from '@crescendo/platform';
import { API_KEY_PREFIX, ApiKeysService } from '../api-keys/api-keys.service';

/** passport's typings name Express's request; under Nest's Fastify adapter it is a FastifyRequest. */
type PassportRequest = Parameters<Strategy['authenticate']>[0];
type Verify = (request: FastifyRequest, apiKey: string, done: (error: unknown, principal?: Principal) => void) => void;

/** The API key of a request: `X-API-Key`, or `Authorization: Bearer crk_…`. */
export function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined;
}

/**
 * A passport strategy for API keys in headers. A request without one is not this strategy's: it fails at
 * once (passport asks the next strategy), which most requests, carrying an access token, do.
 */
class ApiKeyHeaderStrategy extends Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(passportRequest: PassportRequest): void {
    const request = passportRequest as unknown as FastifyRequest;
    const apiKey = apiKeyOf(request);
    if (!apiKey) return this.fail(401);
    this.verify(request, apiKey, (error, principal) => {
      if (error) this.error(error as Error);
      else if (principal) this.success(principal);
      else this.fail(401);
    });
  }
}

/** Verifies the key (ApiKeysService): a key it finds but refuses is a 401 with the key's own code. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(ApiKeyHeaderStrategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  validate(request: FastifyRequest, apiKey: string): Promise<Principal> {
    return this.apiKeys.authenticate(apiKey, { method: request.method, path: request.url.split('?')[0] });
  }
}
