import { parseExpression } from 'cron-parser';

const FIELDS = ['second', 'minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/**
 * Checks a cron pattern (UTC) with cron-parser, the library BullMQ's job schedulers read it with. Five fields;
 * a leading seconds field only with `seconds: true` (a per-second schedule over a workspace's leads would be a
 * self-inflicted load, so callers opt in). Returns null when valid, else what is wrong, naming the field.
 */
export function cronProblem(expression: string, { seconds = false } = {}): string | null {
  const parts = expression.trim().split(/\s+/);
  const names = seconds && parts.length === 6 ? FIELDS : FIELDS.slice(1);
  if (parts.length !== names.length)
    return `needs ${seconds ? '5 or 6 fields: [second]' : '5 fields:'} minute hour day-of-month month day-of-week`;
  // Each field alone first (the others as `*`), because the library's messages do not say which field is wrong.
  for (const [i, part] of parts.entries()) {
    const problem = parseProblem(names.map((_, j) => (j === i ? part : '*')).join(' '));
    if (problem) return `${names[i]}: ${problem}`;
  }
  return parseProblem(parts.join(' '));
}

/** cron-parser's message for a pattern, said plainly where its form is known. */
function parseProblem(pattern: string): string | null {
  try {
    parseExpression(pattern, { tz: 'UTC' });
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const range = /expected range (\d+)-(\d+)/.exec(message);
    if (range) return `values go from ${range[1]} to ${range[2]}`;
    if (/cannot repeat at every/.test(message)) return 'step must be at least 1';
    const characters = /^Invalid characters, got value: (.*)$/.exec(message);
    if (characters) return `"${characters[1]}" is not *, a number, a name, a range or a step`;
    const backwards = /^Invalid range: (.*)$/.exec(message);
    if (backwards) return `range ${backwards[1]} is not from low to high`;
    if (/explicit day of month/.test(message)) return 'that day of month never occurs in the months given';
    return message;
  }
}
