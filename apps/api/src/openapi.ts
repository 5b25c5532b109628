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

/** `nullable` needs a `type` beside it (OpenAPI 3.0); Nest drops the type of a nullable `allOf: [$ref]` property. */
function typeNullableObjects(schema: any): void {
  for (const property of Object.values<any>(schema?.properties ?? {})) {
    if (property.nullable && !property.type && (property.allOf || property.$ref)) property.type = 'object';
  }
}

/**
 * Adds the error answers every route can give (400 for routes taking input, 413/415 for routes with a body, 429, 500,
 * 503 when a dependency is down), marks open routes with an empty security list, refuses duplicate
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
      // Open routes (sign-in, health, signed webhooks and links) say so with an empty requirement list.
      if (!op.security) op.security = [];
      if (!op.responses['503'])
        op.responses['503'] = errorResponse(
          'A dependency (PostgreSQL or Redis) is unavailable right now; retry after Retry-After',
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
  for (const schema of Object.values(document.components?.schemas ?? {})) typeNullableObjects(schema);
  return sortKeys(document) as OpenAPIObject;
}
