import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Checks every JSON answer the tests receive against the OpenAPI document: the status must be documented
 * for that route, and the body must match its schema with no property beyond the documented ones.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction | null>();
  private readonly document: any;
  readonly violations: string[] = [];

  constructor(document: OpenAPIObject) {
    addFormats(this.ajv);
    this.document = strict(document);
    this.ajv.addSchema({ $id: 'api', components: this.document.components }, 'api');
  }

  check(
    method: string,
    routeUrl: string | undefined,
    status: number,
    contentType: string | undefined,
    payload: unknown,
  ) {
    if (!routeUrl || !routeUrl.startsWith('/api/')) return;
    if (!contentType?.startsWith('application/json') || typeof payload !== 'string') return;
    const path = routeUrl.replace(/:(\w+)/g, '{$1}');
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (!operation) return;
    const where = `${method} ${path} → ${status}`;
    const response = operation.responses[String(status)];
    if (!response) {
      this.violations.push(`${where}: status not documented`);
      return;
    }
    const key = `${method} ${path} ${status}`;
    if (!this.validators.has(key)) {
      const schema = response.content?.['application/json']?.schema;
      this.validators.set(key, schema ? this.ajv.compile(schema) : null);
    }
    const validate = this.validators.get(key);
    if (!validate) {
      if (payload.length > 0) this.violations.push(`${where}: JSON body but no schema documented`);
      return;
    }
    if (!validate(JSON.parse(payload))) {
      this.violations.push(`${where}: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`);
    }
  }
}

/** Refs point into the shared 'api' schema, `nullable` becomes a null type, objects refuse extra keys. */
function strict(node: any): any {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = strict(v);
  if (typeof out.$ref === 'string' && out.$ref.startsWith('#/')) out.$ref = `api${out.$ref}`;
  if (out.nullable === true) {
    delete out.nullable;
    // A nullable reference (Swagger writes `allOf: [$ref]` beside `type: object`): the reference, or null.
    if (out.$ref || out.allOf) return { anyOf: [{ ...out }, { type: 'null' }] };
    if (out.type) out.type = [out.type, 'null'];
    if (out.enum) out.enum = [...out.enum, null];
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}
