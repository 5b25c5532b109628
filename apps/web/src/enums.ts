/**
 * The values of a generated string union, as a runtime list for selects and filters. The compiler
 * refuses a list that misses a member of the union or holds a value outside it, so a regenerated
 * client that adds or renames a value breaks the build instead of hiding an option.
 *
 *   const STATUSES = valuesOf<LeadStatus>()('new', 'contacted', …);
 */
export const valuesOf =
  <T extends string>() =>
  <const V extends readonly T[]>(...values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : never)): T[] => [
    ...values,
  ];
