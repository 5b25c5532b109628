import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const descriptions: Record<number, string> = {
  400: 'Invalid input: the fields at fault are listed in details',
  401: 'Missing, invalid or expired credentials',
  403: 'The caller lacks the permission this route needs, or a cookie session sent no valid X-CSRF-Token',
  404: 'Not found (or belongs to another workspace)',
  409: 'Conflicts with the current state',
  410: 'Gone: the link or resource has expired',
  413: 'Payload too large',
  415: 'Unsupported media type',
  416: 'The requested range starts past the end of the file',
  429: 'Rate limit exceeded',
  502: 'An upstream service (an AI provider) failed',
  503: 'A dependency or setting is missing, or an upstream service is unavailable',
  504: 'An upstream service (an AI provider) timed out',
};

/** Documents error answers with the shared error schema. 500 and 429 are added to every route globally. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: descriptions[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
