import { type ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, MetadataStorage, validate, ValidateIf } from 'class-validator';
import { AppException, ErrorDetail } from './app.exception';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

let rulesMemoised = false;

/**
 * class-validator finds a class's rules, inherited ones included, by testing every decorated class of the
 * process on each validate() (typestack/class-validator#2686): with this app's hundreds of DTOs that was
 * about 5 % of a list request's CPU. Rules are registered as classes load, so the answer per class and
 * options is memoised, and dropped whenever a rule is added. Remove once class-validator caches it.
 */
export function memoiseValidationRules(): void {
  if (rulesMemoised) return;
  rulesMemoised = true;
  const storage = getMetadataStorage();
  const find = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
  let memo = new WeakMap<object, Map<string, Rules>>();
  storage.addValidationMetadata = (metadata) => {
    memo = new WeakMap();
    validQueries.clear();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups ? JSON.stringify(groups) : ''}`;
    let byOptions = memo.get(target);
    if (!byOptions) memo.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = find(target, schema, always, strictGroups, groups)));
    return rules;
  };
  // Then grouped by property on each validate(): the memoised arrays are never mutated, so by identity.
  const group = storage.groupByPropertyName.bind(storage);
  const grouped = new WeakMap<Rules, ReturnType<MetadataStorage['groupByPropertyName']>>();
  storage.groupByPropertyName = (rules) => {
    let byProperty = grouped.get(rules);
    if (!byProperty) grouped.set(rules, (byProperty = group(rules)));
    return byProperty;
  };
}

type QueryValue = string | number | boolean | null | undefined | QueryValue[];

/** A query DTO's fields once validated, and its class, to hand each request its own copy. */
interface ValidQuery {
  prototype: object;
  fields: [string, QueryValue][];
}

/** Query strings longer than this are validated every time (and not kept). */
const MAX_CACHED_QUERY_LENGTH = 512;
const MAX_CACHED_QUERIES = 1_000;

/**
 * Query strings that passed a query DTO's validation, by DTO class, with what validation made of them. A list
 * page's query is the same on most requests (`?limit=20`, the SPA's filters) and its DTO holds only strings,
 * numbers, booleans and arrays of them: class-transformer and class-validator gave the same answer every time,
 * for about 5 % of an authenticated list GET's main-thread time (CPU profile of the list bench). Only successes
 * are kept (a refusal is built as before); cleared when a rule is added. Query DTOs must stay pure functions of
 * the query string: a default read from the clock or a setting would be kept as first computed.
 */
const validQueries = new Map<string, ValidQuery>();
const queryClassIds = new WeakMap<object, number>();

function queryKey(metatype: object, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const json = JSON.stringify(value);
  return json.length > MAX_CACHED_QUERY_LENGTH ? undefined : `${classId(metatype)}\0${json}`;
}

let nextClassId = 0;
function classId(metatype: object): number {
  let id = queryClassIds.get(metatype);
  if (id === undefined) queryClassIds.set(metatype, (id = nextClassId++));
  return id;
}

const isQueryValue = (value: unknown): value is QueryValue =>
  value === null ||
  ['string', 'number', 'boolean', 'undefined'].includes(typeof value) ||
  (Array.isArray(value) && value.every(isQueryValue));

/** The DTO's own fields, if they are all plain values (else undefined: not kept). */
function snapshot(dto: object): ValidQuery | undefined {
  const fields = Object.entries(dto);
  if (!fields.every(([, value]) => isQueryValue(value))) return undefined;
  // Copied: the handler gets this DTO and may change its arrays.
  const kept = (fields as [string, QueryValue][]).map(([name, value]): [string, QueryValue] => [name, copyOf(value)]);
  return { prototype: Object.getPrototypeOf(dto) as object, fields: kept };
}

const copyOf = (value: QueryValue): QueryValue => (Array.isArray(value) ? value.map(copyOf) : value);

/** A fresh DTO (handlers may change theirs) with the validated fields. */
function instanceOf(valid: ValidQuery): object {
  const dto = Object.create(valid.prototype) as Record<string, QueryValue>;
  for (const [name, value] of valid.fields) dto[name] = copyOf(value);
  return dto;
}

/** The global pipe, which answers a query string its DTO already accepted from `validQueries`. */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const key =
      metadata.type === 'query' && metadata.metatype && this.toValidate(metadata)
        ? queryKey(metadata.metatype, value)
        : undefined;
    if (key === undefined) return super.transform(value, metadata);
    const valid = validQueries.get(key);
    if (valid) return instanceOf(valid);
    const dto: unknown = await super.transform(value, metadata);
    const kept = typeof dto === 'object' && dto !== null ? snapshot(dto) : undefined;
    if (kept) {
      if (validQueries.size >= MAX_CACHED_QUERIES) validQueries.delete(validQueries.keys().next().value!);
      validQueries.set(key, kept);
    }
    return dto;
  }
}

/** Global validation: strips nothing silently; unknown fields are refused with 400. */
export function createValidationPipe(): ValidationPipe {
  memoiseValidationRules();
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationFailed,
  });
}

function validationFailed(errors: ValidationError[]): AppException {
  const details = flatten(errors);
  return new AppException(
    HttpStatus.BAD_REQUEST,
    'VALIDATION_FAILED',
    `Invalid input: ${[...new Set(details.map((d) => d.field))].join(', ')}`,
    details,
  );
}

/**
 * The global pipe's checks and 400, for a body a handler must look at before validating it (a signed
 * webhook is authenticated first, so an unsigned request learns nothing about the expected fields).
 */
export async function validateInput<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new AppException(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'The body must be a JSON object');
  }
  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length) throw validationFailed(errors);
  return instance;
}

/**
 * Like @IsOptional(), but only for a field left out: null is checked like any other value (and refused by
 * @IsInt, @IsString…). For fields whose column or answer has no null.
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);
