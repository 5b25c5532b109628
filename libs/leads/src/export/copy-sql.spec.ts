import { inlineParameters } from './copy-sql';

describe('inlineParameters', () => {
  it('quotes strings (quotes doubled, backslashes as E-strings), dates as ISO, numbers, and NULL', () => {
    const sql = 'a = $1 AND b = $2 AND c >= $3 AND d < $10 AND e = $4 AND f = $5';
    const params = ["O'Brien", 'back\\slash', 42, null, new Date('2026-01-02T03:04:05.678Z'), 6, 7, 8, 9, 'ten'];
    expect(inlineParameters(sql, params)).toBe(
      `a = 'O''Brien' AND b =  E'back\\\\slash' AND c >= '42' AND d < 'ten' AND e = NULL AND ` +
        `f = '2026-01-02T03:04:05.678Z'`,
    );
  });

  it('refuses a value it cannot write safely', () => {
    expect(() => inlineParameters('x = $1', [{ a: 1 }])).toThrow('Cannot inline');
    expect(() => inlineParameters('x = $1', [Number.NaN])).toThrow('Cannot inline');
  });
});
