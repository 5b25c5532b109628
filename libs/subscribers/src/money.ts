import { registerDecorator, ValidationOptions } from 'class-validator';

// ISO 4217 codes the runtime knows (Intl), so `XYZ` or `EURO` is a 400, not a stored typo.
const currencies = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (value: unknown): value is string => typeof value === 'string' && currencies.has(value);

export function IsCurrency(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCurrency',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 4217 currency code (e.g. USD, EUR)`, ...options },
      validator: { validate: isCurrency },
    });
}

export const upperTrim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
