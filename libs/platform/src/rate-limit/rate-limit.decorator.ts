import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiErrors } from '../http/api-errors.decorator';
import type { RateLimitPolicy } from './rate-limit.policies';

export const RATE_LIMIT = 'crescendo:rate-limit';

/** Applies a stricter policy on top of the general one; `false` exempts a route (health, metrics). */
export const RateLimit = (policy: RateLimitPolicy | false) =>
  applyDecorators(SetMetadata(RATE_LIMIT, policy), ...(policy ? [ApiErrors(429)] : []));
