import { csvRecord, escapeSpreadsheetCell, FORMULA_TRIGGERS } from './spreadsheet-cell';

describe('escapeSpreadsheetCell (OWASP CSV injection)', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+33 6 12 34 56 78', "'+33 6 12 34 56 78"],
    ['-2+3', "'-2+3"],
    ['@cmd|calc', "'@cmd|calc"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
  ])('prefixes %j with a quote', (input, expected) => {
    expect(escapeSpreadsheetCell(input)).toBe(expected);
  });

  it.each(['', 'Zoé', ' =1', 'a=b', "'=already", '1-2', 'x@y.z', '\n=1', '{"a":1}'])(
    'leaves %j as it is (trigger not first)',
    (input) => {
      expect(escapeSpreadsheetCell(input)).toBe(input);
    },
  );

  it('covers exactly the six triggers of the rule', () => {
    expect([...FORMULA_TRIGGERS].sort()).toEqual(['\t', '\r', '+', '-', '=', '@'].sort());
    for (const trigger of FORMULA_TRIGGERS) expect(escapeSpreadsheetCell(`${trigger}x`)).toBe(`'${trigger}x`);
  });
});

describe('csvRecord', () => {
  it('quotes only cells with a comma, a quote or a line break, and ends with CRLF', () => {
    expect(csvRecord(['a', null, '', 'b,c', 'say "hi"', 'l1\nl2', 'r\r'])).toBe(
      'a,,,"b,c","say ""hi""","l1\nl2","r\r"\r\n',
    );
  });
});
