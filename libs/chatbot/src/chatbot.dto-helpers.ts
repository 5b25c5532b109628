import { ValidateIf } from 'class-validator';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Fan handles are stored like subscribers.handle: trimmed, no leading @, lower-cased. */
export const handleOf = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().replace(/^@/, '').toLowerCase() : value;

/**
 * Present means not null: for fields that cannot be cleared. A create DTO extending the update DTO
 * lists its mandatory fields in `static requiredFields`, which are then always validated.
 */
export const present = (field: string) =>
  ValidateIf(
    (o: Record<string, unknown>) =>
      o[field] !== undefined ||
      ((o.constructor as { requiredFields?: readonly string[] }).requiredFields ?? []).includes(field),
  );
