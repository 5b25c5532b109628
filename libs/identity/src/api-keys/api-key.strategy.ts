import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { API_KEY_STRATEGY, Principal } from '@crescendo/platform';
import { API_KEY_PREFIX, ApiKeysService } from './api-keys.service';

/** API keys in `X-API-Key` or as `Authorization: Bearer crk_…`; anything else falls through to JWT. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | false> {
    const header = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const presented = typeof header === 'string' ? header : bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined;
    if (!presented) return false;
    return this.apiKeys.authenticate(presented, request);
  }
}
