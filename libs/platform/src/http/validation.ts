import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Global validation: strips nothing silently; unknown fields are refused with 400. */
export function createValidationPipe(): ValidationPipe {
  memoiseValidationRules();
  return new ValidationPipe({
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
