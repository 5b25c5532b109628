/** The five cron fields (UTC) a schedule rule takes, with their ranges; names are not accepted. */
const cronFields = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/**
 * Checks a five-field cron expression (`*`, `a`, `a-b`, `x/step`, comma lists), as BullMQ's scheduler reads
 * it. Minute granularity on purpose: a per-second schedule over a workspace's leads would be a self-inflicted load.
 * Returns null when valid, else what is wrong.
 */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return 'needs 5 fields: minute hour day-of-month month day-of-week';
  for (const [i, part] of parts.entries()) {
    const { name, min, max } = cronFields[i];
    for (const item of part.split(',')) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!match) return `${name}: "${item}" is not *, a number, a range or a step`;
      const [, , from, to, step] = match;
      const numbers = [from, to].filter((n) => n !== undefined).map(Number);
      if (numbers.some((n) => n < min || n > max)) return `${name}: values go from ${min} to ${max}`;
      if (numbers.length === 2 && numbers[0] > numbers[1]) return `${name}: range ${item} runs backwards`;
      if (step !== undefined && (Number(step) < 1 || Number(step) > max)) return `${name}: step must be 1 to ${max}`;
    }
  }
  return null;
}
