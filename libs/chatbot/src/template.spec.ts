import { AppException } from '@crescendo/platform';
import { assertTemplate, renderTemplate, templateVariablesOf, timeValues } from './template';

const values = {
  name: 'Jane',
  handle: 'jane_doe',
  platform: 'onlyfans',
  time: '09:05',
  date: '2026-03-02',
  weekday: 'Monday',
};

describe('templates', () => {
  it('renders every known variable, spaces inside braces allowed', () => {
    expect(renderTemplate('Hi {{name}} (@{{ handle }}) on {{platform}}, {{weekday}} {{date}} {{time}}', values)).toBe(
      'Hi Jane (@jane_doe) on onlyfans, Monday 2026-03-02 09:05',
    );
  });

  it('leaves text without placeholders and single braces alone', () => {
    expect(renderTemplate('{name} and {{}} stay', values)).toBe('{name} and {{}} stay');
  });

  it('lists the variables used', () => {
    expect(templateVariablesOf('{{name}} {{ foo }} {{name}}')).toEqual(['name', 'foo', 'name']);
  });

  it('refuses unknown variables with 400 UNKNOWN_TEMPLATE_VARIABLE naming each', () => {
    let error: unknown;
    try {
      assertTemplate('Hi {{name}} {{price}} {{ Name }}', 'template');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ status: 400, code: 'UNKNOWN_TEMPLATE_VARIABLE' });
    expect((error as AppException).details.map((d) => d.message)).toEqual([
      expect.stringContaining('{{price}}'),
      expect.stringContaining('{{Name}}'),
    ]);
    expect(() => assertTemplate('Hi {{ name }}', 'template')).not.toThrow();
  });

  it('formats time values in the time zone', () => {
    const at = new Date('2026-03-02T23:30:00Z'); // Monday in UTC, Tuesday in Paris
    expect(timeValues(at, 'UTC')).toEqual({ time: '23:30', date: '2026-03-02', weekday: 'Monday' });
    expect(timeValues(at, 'Europe/Paris')).toEqual({ time: '00:30', date: '2026-03-03', weekday: 'Tuesday' });
  });
});
