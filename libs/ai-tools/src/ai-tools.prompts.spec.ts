import { AppException } from '@crescendo/platform';
import { fillTemplate } from './ai-tools.prompts';

describe('fillTemplate', () => {
  const recipient = { name: 'Jane  Doe', handle: 'jane', tier: 'VIP' };
  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as AppException;
    }
    throw new Error('expected a failure');
  };

  it('fills recipient placeholders (spaces inside braces allowed) and extra variables, listing what it used', () => {
    expect(
      fillTemplate({
        template: 'Hi {{ firstName }} / {{name}} @{{handle}} {{tier}}: {{code}}',
        recipient,
        variables: { code: 'X1' },
      }),
    ).toEqual({
      filled: 'Hi Jane / Jane  Doe @jane VIP: X1',
      used: { firstName: 'Jane', name: 'Jane  Doe', handle: 'jane', tier: 'VIP', code: 'X1' },
    });
  });

  it('lets variables override recipient fields and leaves text without placeholders alone', () => {
    expect(fillTemplate({ template: '{{name}}', recipient, variables: { name: 'J' } }).filled).toBe('J');
    expect(fillTemplate({ template: 'Hi {there} {{}}', recipient }).filled).toBe('Hi {there} {{}}');
  });

  it('refuses a placeholder without a value, naming each once', () => {
    const error = failure(() => fillTemplate({ template: '{{a}} {{b}} {{a}}', recipient: { name: 'J' } }));
    expect(error).toMatchObject({ status: 400, code: 'MESSAGE_TEMPLATE_VARIABLE_MISSING' });
    expect(error.details).toEqual([
      { field: 'template', message: '{{a}} has no value' },
      { field: 'template', message: '{{b}} has no value' },
    ]);
    // A recipient without a handle has no {{handle}}.
    expect(failure(() => fillTemplate({ template: '{{handle}}', recipient: { name: 'J' } })).code).toBe(
      'MESSAGE_TEMPLATE_VARIABLE_MISSING',
    );
  });

  it('refuses bad variable names, non-text or long values, and too many variables', () => {
    const bad: Record<string, string>[] = [
      { 'a b': 'x' },
      { '1a': 'x' },
      { a: 5 as unknown as string },
      { a: 'x'.repeat(501) },
    ];
    for (const variables of bad) {
      expect(failure(() => fillTemplate({ template: 'Hi', recipient, variables })).code).toBe('VALIDATION_FAILED');
    }
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`v${i}`, 'x']));
    expect(failure(() => fillTemplate({ template: 'Hi', recipient, variables: many })).details).toEqual([
      { field: 'variables', message: 'variables must have 30 entries at most' },
    ]);
  });
});
