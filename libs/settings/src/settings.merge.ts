const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges `patch` over `base`, keeping only the keys `base` has (its shape is the section's schema):
 * absent keys keep their value, nested objects merge, anything else (arrays, null) replaces.
 */
export function mergeKnown<T extends object>(base: T, patch: unknown): T {
  if (!isPlainObject(patch)) return base;
  const out: Record<string, unknown> = {};
  for (const [key, current] of Object.entries(base)) {
    const next = patch[key];
    if (next === undefined) out[key] = current;
    else if (isPlainObject(current) && isPlainObject(next)) out[key] = mergeKnown(current, next);
    else out[key] = next;
  }
  return out as T;
}

/** Dotted paths of the fields a patch sets (for the audit trail: names, never values). */
export function changedPaths(patch: object, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const path = prefix ? `${prefix}.${key}` : key;
    return isPlainObject(value) && Object.keys(value).length > 0 ? changedPaths(value, path) : [path];
  });
}
