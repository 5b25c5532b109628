import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { API_KEY_STRATEGY, Principal } from '@crescendo/platform';
import { API_KEY_PREFIX, ApiKeysService } from '../api-keys/api-keys.service';

/**
 * An API key in `X-API-Key` or as `Authorization: Bearer crk_…`. Anything else is not this strategy's
 * (null: passport asks the next one); a key it finds but refuses is a 401 with the key's own code.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const apiKey = typeof header === 'string' ? header : bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined;
    return apiKey ? this.apiKeys.authenticate(apiKey, request) : null;
  }
}
