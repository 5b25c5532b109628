import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type request from 'supertest';

/** One operation of the committed OpenAPI document (libs/api-client/openapi.json), with refs resolved. */
export interface Operation {
  /** `GET /api/leads/{id}` */
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  pathParams: Param[];
  queryParams: Param[];
  /** application/json or multipart/form-data, when the operation takes a body. */
  bodyType?: string;
  bodySchema?: Schema;
  authenticated: boolean;
}

export interface Param {
  name: string;
  required: boolean;
  schema: Schema;
}

export type Schema = any;

export const document = JSON.parse(
  readFileSync(resolve(__dirname, '../../libs/api-client/openapi.json'), 'utf8'),
) as Schema;

/** A schema with its `$ref` (and a lone `allOf: [$ref]`) followed. */
export function deref(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 10 && s; i++) {
    if (s.$ref) s = document.components.schemas[String(s.$ref).split('/').pop()!];
    else if (s.allOf?.length === 1 && !s.properties) s = { ...s.allOf[0], ...s, allOf: undefined };
    else break;
  }
  return s ?? {};
}

export function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, Schema>>(document.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params: Schema[] = (op.parameters ?? []).map(deref);
      const toParam = (p: Schema): Param => ({ name: p.name, required: Boolean(p.required), schema: deref(p.schema) });
      const content = op.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0];
      out.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map(toParam),
        queryParams: params.filter((p) => p.in === 'query').map(toParam),
        bodyType,
        bodySchema: bodyType ? deref(content[bodyType].schema) : undefined,
        authenticated: (op.security ?? []).some((s: Schema) => 'bearer' in s),
      });
    }
  }
  return out;
}

export const isNumeric = (s: Schema) => s?.type === 'integer' || s?.type === 'number';

/** A plausible value for a schema: its example, default or first enum value, else one of the right type. */
export function exampleOf(schema: Schema, depth = 0): unknown {
  const s = deref(schema);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  if (s.oneOf?.length || s.anyOf?.length) return exampleOf((s.oneOf ?? s.anyOf)[0], depth + 1);
  switch (s.type) {
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [exampleOf(s.items ?? {}, depth + 1)];
    case 'object':
      return depth > 4 ? {} : objectExample(s, depth);
    case 'string':
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (s.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      if (s.format === 'email') return 'someone@example.com';
      if (s.format === 'uri') return 'https://example.invalid/x';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return s.properties ? objectExample(s, depth) : 'x';
  }
}

/** Only the required properties: an optional one with a bad example would hide the case under test. */
function objectExample(s: Schema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set<string>(s.required ?? []);
  for (const [key, prop] of Object.entries<Schema>(s.properties ?? {}))
    if (required.has(key)) out[key] = exampleOf(prop, depth + 1);
  return out;
}

/** `/api/leads/{id}` with its parameters filled in (encoded). */
export const fillPath = (path: string, values: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));

/** What every answer outside 2xx must be: the one error shape, with the status it was sent with. */
export function shapeProblem(res: request.Response): string | null {
  if (res.status < 400) return null;
  const b = res.body as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') return `${res.status} without a JSON body: ${String(res.text).slice(0, 120)}`;
  const ok =
    b.statusCode === res.status &&
    typeof b.error === 'string' &&
    typeof b.code === 'string' &&
    typeof b.message === 'string' &&
    Array.isArray(b.details) &&
    typeof b.requestId === 'string' &&
    b.requestId.length > 0;
  return ok ? null : `${res.status} outside the error shape: ${JSON.stringify(b).slice(0, 200)}`;
}
