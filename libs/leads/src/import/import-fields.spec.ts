import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isImportEmail, parseRow, resolveColumns, RowContext } from './import-fields';
import { CsvRecordReader, openCsv, SourceRow, sniffDelimiter, UnreadableFileError } from './import-sources';

const ctx: RowContext = {
  nicheIds: new Set(['6f1c7a7e-0000-4000-8000-000000000001']),
  nicheNames: new Map([['saas', '6f1c7a7e-0000-4000-8000-000000000001']]),
};

describe('resolveColumns', () => {
  it('matches headers ignoring case, accents, spaces and punctuation, French included', () => {
    const { columns } = resolveColumns(
      ['E-mail', 'Job title', 'Nom', 'Société', 'Téléphone', 'custom.budget', 'Whatever', 'email'],
      null,
    );
    expect(columns).toEqual(['email', 'jobTitle', 'name', 'company', 'phone', 'custom.budget', null, null]);
  });

  it('with a mapping reads only the mapped columns and names the missing ones', () => {
    expect(resolveColumns(['Courriel', 'Name', 'X'], { courriel: 'email', Budget: 'custom.budget' })).toEqual({
      columns: ['email', null, null],
      missing: ['Budget'],
    });
  });
});

describe('parseRow', () => {
  const columns = resolveColumns(['name', 'email', 'company', 'status', 'score', 'tags', 'niche'], null).columns;
  const row = (...values: string[]) => parseRow(values, columns, 7, ctx);

  it('normalises a valid row', () => {
    expect(row(' Ada ', 'ADA@Example.com', 'Acme', 'Qualified', '42', 'VIP; b,vip', 'SaaS')).toEqual({
      lead: expect.objectContaining({
        line: 7,
        name: 'Ada',
        givenName: 'Ada',
        email: 'ada@example.com',
        status: 'qualified',
        score: 42,
        tags: ['vip', 'b'],
        nicheId: '6f1c7a7e-0000-4000-8000-000000000001',
      }),
    });
  });

  it('derives the name from the e-mail, then the company', () => {
    expect(row('', 'a@b.io')).toMatchObject({ lead: { name: 'a@b.io', givenName: null } });
    expect(row('', '', 'Acme')).toMatchObject({ lead: { name: 'Acme', givenName: null } });
  });

  it('lists every reason a row is refused', () => {
    expect(row('', 'nope', '', 'pending', '150', '', 'unknown')).toEqual({
      error:
        'email: not a valid address; status: must be one of new, contacted, qualified, converted, lost; ' +
        'score: must be an integer from 0 to 100; nicheId: no such niche in the workspace',
    });
    expect(row('', '', '', '', '4.5')).toEqual({
      error: 'name: required (or an email or company to derive it from); score: must be an integer from 0 to 100',
    });
    expect(row('x'.repeat(201))).toEqual({ error: 'name: longer than 200 characters' });
  });

  it('accepts ordinary addresses only', () => {
    expect(['a.b+c@sub.example.co', "o'neil@example.ie"].map(isImportEmail)).toEqual([true, true]);
    expect(['a@b', 'a b@c.io', 'a@@c.io', '@c.io', 'a@c..io', 'a@-c.io'].map(isImportEmail)).toEqual(
      Array(6).fill(false),
    );
  });
});

describe('CSV reading', () => {
  it('sniffs the delimiter from the header line, outside quotes', () => {
    expect(sniffDelimiter('name;email;"a,b,c"\nx,y,z,w')).toBe(';');
    expect(sniffDelimiter('name,email\n')).toBe(',');
  });

  it('gives each record its first physical line, past blank lines and multi-line fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-spec-'));
    const path = join(dir, 'a.csv');
    const text = '\uFEFFname;email\r\nA;a@x.io\r\n\r\n"B\nmulti;x";b@x.io\r\nC;c@x.io;extra\r\n';
    await writeFile(path, text);
    const source = await openCsv(path, Buffer.byteLength(text));
    expect(source.headers).toEqual(['name', 'email']);
    const rows: SourceRow[] = [];
    for await (const chunk of source.chunks) rows.push(...chunk);
    expect(rows.map((r) => [r.line, r.values, r.raw])).toEqual([
      [2, ['A', 'a@x.io'], 'A;a@x.io'],
      [4, ['B\nmulti;x', 'b@x.io'], '"B\nmulti;x";b@x.io'],
      [6, ['C', 'c@x.io', 'extra'], 'C;c@x.io;extra'],
    ]);
    expect(source.progress()).toBe(1);
  });

  const readAll = (text: string, pieces: number) => {
    const reader = new CsvRecordReader(',');
    const rows: SourceRow[] = [];
    const size = Math.ceil(text.length / pieces);
    for (let i = 0; i < text.length; i += size) rows.push(...reader.feed(text.slice(i, i + size), false));
    rows.push(...reader.feed('', true));
    return rows.map((r) => [r.line, r.values, r.raw, r.error]);
  };

  it('reads the same records whatever the chunking, with escaped quotes and every line ending', () => {
    const text = 'a,"b ""q"", c",d\r\n\re,"multi\r\nline",\n"",x\n\nlast,"",';
    const expected = [
      [1, ['a', 'b "q", c', 'd'], 'a,"b ""q"", c",d', undefined],
      [3, ['e', 'multi\r\nline', ''], 'e,"multi\r\nline",', undefined],
      [5, ['', 'x'], '"",x', undefined],
      [7, ['last', '', ''], 'last,"",', undefined],
    ];
    for (const pieces of [1, 2, 7, text.length]) expect(readAll(text, pieces)).toEqual(expected);
  });

  it('makes a record with a stray or unclosed quote an unreadable row, and reads on', () => {
    expect(readAll('a,b"c,d\ne,"f"g,h\ni,j\nk,"open\nl,m', 3)).toEqual([
      [1, [], 'a,b"c,d', 'unreadable: Invalid Opening Quote: a quote is found on field 1 at line 1'],
      [
        2,
        [],
        'e,"f"g,h',
        'unreadable: Invalid Closing Quote: got "g" at line 2 instead of a delimiter or the end of the line',
      ],
      [3, ['i', 'j'], 'i,j', undefined],
      [4, [], 'k,"open\nl,m', 'unreadable: Quote Not Closed: the file ends inside the quoted field opened at line 4'],
    ]);
  });

  it('refuses a record that runs past 1 MiB (a quote left open)', () => {
    const reader = new CsvRecordReader(',');
    reader.feed('a,"', false);
    expect(() => reader.feed('x'.repeat(1 << 20), false)).toThrow(UnreadableFileError);
  });
});
