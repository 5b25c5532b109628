import { badRequest } from '@crescendo/platform';

/**
 * Reply templates: `{{variable}}` (spaces inside the braces allowed). Unknown variables are refused at
 * save time (400 UNKNOWN_TEMPLATE_VARIABLE), so rendering never meets one.
 */
export const templateVariables = {
  name: 'The fan’s display name, else their handle',
  handle: 'The fan’s handle, without @',
  platform: 'The platform of the conversation (onlyfans, fansly, …)',
  time: 'Current time, HH:mm, in the rule’s or workspace’s time zone',
  date: 'Current date, YYYY-MM-DD, same time zone',
  weekday: 'Current day of the week in English (Monday, …), same time zone',
} as const;
export type TemplateVariable = keyof typeof templateVariables;
export type TemplateValues = Record<TemplateVariable, string>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function templateVariablesOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Throws 400 UNKNOWN_TEMPLATE_VARIABLE naming `field` and every unknown variable. */
export function assertTemplate(template: string, field: string): void {
  const unknown = [...new Set(templateVariablesOf(template).filter((v) => !(v in templateVariables)))];
  if (unknown.length)
    throw badRequest(
      'UNKNOWN_TEMPLATE_VARIABLE',
      `Unknown template variable(s): ${unknown.map((v) => `{{${v}}}`).join(', ')}`,
      unknown.map((v) => ({
        field,
        message: `unknown variable {{${v}}}; known: ${Object.keys(templateVariables).join(', ')}`,
      })),
    );
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? values[name as TemplateVariable] : whole,
  );
}

/** The clock-dependent values in a time zone. */
export function timeValues(now: Date, timeZone: string): Pick<TemplateValues, 'time' | 'date' | 'weekday'> {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'long',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    time: `${parts.hour}:${parts.minute}`,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday,
  };
}
