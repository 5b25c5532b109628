import { checkRegex, MAX_REGEX_INPUT, matchesRegex } from './safe-regex';

describe('checkRegex', () => {
  it.each([
    ['\\bvip\\b'],
    ['^(hi|hello)\\b'],
    ['price[s]?\\s+(for|of)'],
    ['\\d{1,3}\\s*(usd|eur|\\$)'],
    ['(?:ab)+c'],
    ['[a+]+'],
    ['\\p{L}+ \\p{N}{2}'],
    ['(ab)?c'],
    ['(a+)?b'],
  ])('accepts %s', (pattern) => {
    expect(checkRegex(pattern)).toMatchObject({ ok: true });
  });

  it.each([
    ['(a+)+$', 'unsafe'],
    ['(a*)*b', 'unsafe'],
    ['(?:a|aa)*b', 'unsafe'],
    ['(a|a)+', 'unsafe'],
    ['(a?){25}a{25}', 'unsafe'],
    ['((ab)+c)*', 'unsafe'],
    ['(x+x+)+y', 'unsafe'],
    ['(\\w+\\s?)*$', 'unsafe'],
    ['(a)\\1', 'unsafe'],
    ['(?<x>a)\\k<x>', 'unsafe'],
    ['a*b*c*d*', 'unsafe'],
    ['(unclosed', 'invalid'],
    ['a{2,1}', 'invalid'],
    ['x'.repeat(201), 'invalid'],
    ['', 'invalid'],
  ])('refuses %s (%s)', (pattern, reason) => {
    expect(checkRegex(pattern)).toMatchObject({ ok: false, reason });
  });

  it('runs on the bounded start of the text, case-insensitively', () => {
    const check = checkRegex('\\bvip\\b');
    if (!check.ok) throw new Error('expected ok');
    expect(matchesRegex(check.regex, 'Want VIP?')).toBe(true);
    expect(matchesRegex(check.regex, `${'x '.repeat(MAX_REGEX_INPUT)} vip`)).toBe(false);
  });

  it('keeps an accepted worst case fast on the bounded input', () => {
    const check = checkRegex('.*a.*b.*c$');
    if (!check.ok) throw new Error('expected ok');
    const started = Date.now();
    matchesRegex(check.regex, 'a'.repeat(10_000));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
