import type { OpenAPIObject } from '@nestjs/swagger';

const errorRef = { $ref: '#/components/schemas/ErrorResponseDto' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Adds the error answers every route can give (400 for routes taking input, 413/415 for routes with a body, 429, 500,
 * 503 REDIS_UNAVAILABLE: the rate limits cannot be kept without Redis), refuses duplicate
 * operation ids (the generated client names functions after them) and sorts keys for a clean diff.
 */
export function sortOpenApi(document: OpenAPIObject): OpenAPIObject {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (op.operationId) {
        const previous = seen.get(op.operationId);
        if (previous) throw new Error(`Duplicate operationId ${op.operationId}: ${previous} and ${where}`);
        seen.set(op.operationId, where);
      }
      const takesInput = Boolean(op.requestBody) || (op.parameters ?? []).length > 0;
      if (takesInput && !op.responses['400'])
        op.responses['400'] = errorResponse('Invalid input: the fields at fault are listed in details');
      if (op.requestBody && !op.responses['413']) op.responses['413'] = errorResponse('Request body too large');
      if (op.requestBody && !op.responses['415']) op.responses['415'] = errorResponse('Unsupported content type');
      if (!op.responses['429']) op.responses['429'] = errorResponse('Rate limit exceeded');
      if (!op.responses['500']) op.responses['500'] = errorResponse('Unexpected server error (quote the request id)');
      if (!op.responses['503'])
        op.responses['503'] = errorResponse(
          'A dependency (Redis, which keeps the rate limits) is unavailable right now; retry after Retry-After seconds',
        );
      // Errors are JSON even on routes that produce a file or an event stream (@ApiProduces applies to all).
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        const content = response.content as Record<string, { schema?: unknown }> | undefined;
        if (Number(status) < 400 || !content || content['application/json']) continue;
        const schema = Object.values(content).find((c) => c.schema)?.schema;
        response.content = { 'application/json': { schema } };
      }
    }
  }
  return sortKeys(document) as OpenAPIObject;
}
