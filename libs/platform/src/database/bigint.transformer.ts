import type { ValueTransformer } from 'typeorm';

/** Minor-unit sums are bigint columns (pg returns strings); amounts stay far below 2^53. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
