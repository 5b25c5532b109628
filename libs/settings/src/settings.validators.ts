import { isURL, Matches, registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';

/** Like @IsOptional, but only an absent field is skipped: `null` is refused (the field is not nullable). */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time of day as `HH:mm` (24 h). */
export const IsTimeOfDay = (options: ValidationOptions = {}) =>
  Matches(TIME_OF_DAY, { message: '$property must be a time of day as HH:mm (00:00 to 23:59)', ...options });

export function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64) return false;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name known to the runtime (`Europe/Paris`, `UTC`). */
export function IsIanaTimeZone(options: ValidationOptions = {}) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: object.constructor,
      propertyName,
      options: { message: '$property must be an IANA time zone such as Europe/Paris', ...options },
      validator: { validate: isIanaTimeZone },
    });
}

export function isLanguageTag(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 16) return false;
  if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(value)) return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** A BCP 47 language tag (`en`, `fr-FR`, `pt-BR`), at most 16 characters. */
export function IsLanguageTag(options: ValidationOptions = {}) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isLanguageTag',
      target: object.constructor,
      propertyName,
      options: { message: '$property must be a language tag such as en or fr-FR', ...options },
      validator: { validate: isLanguageTag },
    });
}

/**
 * Whether outgoing URLs may be plain http on a local host: only where private addresses are allowed too
 * (WEBHOOKS_ALLOW_PRIVATE_URLS, a development and test switch), read as the config reads it.
 */
const localUrlsAllowed = () =>
  ['1', 'true', 'yes', 'on'].includes(String(process.env.WEBHOOKS_ALLOW_PRIVATE_URLS ?? '').toLowerCase());

/** A Slack incoming-webhook URL: https with a real host name (http on a local host only with the switch above). */
export function IsSlackWebhookUrl(options: ValidationOptions = {}) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isSlackWebhookUrl',
      target: object.constructor,
      propertyName,
      options: { message: '$property must be an https URL', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          (localUrlsAllowed()
            ? isURL(value, { protocols: ['http', 'https'], require_protocol: true, require_tld: false })
            : isURL(value, { protocols: ['https'], require_protocol: true })),
      },
    });
}
