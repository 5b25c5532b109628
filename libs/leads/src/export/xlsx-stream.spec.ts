import ExcelJS from 'exceljs';
import { buffer } from 'node:stream/consumers';
import { xlsxSheetStream, XlsxCell } from './xlsx-stream';

async function* from(rows: XlsxCell[][]) {
  yield* rows;
}

/** The sheet as ExcelJS reads it back: one array per row, cells by column (nulls where there is none). */
async function readBack(file: Buffer, columns: number): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
  const rows: unknown[][] = [];
  workbook.getWorksheet('Leads')!.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as unknown[];
    rows.push(Array.from({ length: columns }, (_, i) => values[i + 1] ?? null));
  });
  return rows;
}

describe('xlsxSheetStream', () => {
  it('writes text (markup escaped, spaces kept, forbidden control characters dropped), numbers and gaps', async () => {
    const rows: XlsxCell[][] = [
      ['<b>Tom & "Jerry"</b>', 42, null],
      ['  padded  ', 0, 'line 1\nline 2\ttab'],
      ['bell\u0007 and null\u0000 gone', -1.5, 'é ü 漢字 🎉'],
    ];
    const file = await buffer(xlsxSheetStream('Leads', ['text', 'number', 'more'], from(rows)));
    expect(await readBack(file, 3)).toEqual([
      ['text', 'number', 'more'],
      ['<b>Tom & "Jerry"</b>', 42, null],
      ['  padded  ', 0, 'line 1\nline 2\ttab'],
      ['bell and null gone', -1.5, 'é ü 漢字 🎉'],
    ]);
  });

  it('streams many rows in bounded chunks and reports progress up to the last row', async () => {
    const many = Array.from({ length: 5000 }, (_, i): XlsxCell[] => [`row ${i}`, i, null]);
    const progress: number[] = [];
    const file = await buffer(xlsxSheetStream('Leads', ['a', 'b', 'c'], from(many), (n) => progress.push(n)));
    const back = await readBack(file, 3);
    expect(back).toHaveLength(5001);
    expect(back[5000]).toEqual(['row 4999', 4999, null]);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(5000);
  });

  it('stops reading the rows once its reader goes away', async () => {
    let produced = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          produced++;
          yield [`row ${produced} `.repeat(20)];
        }
      } finally {
        closed = true;
      }
    }
    const out = xlsxSheetStream('Leads', ['a'], endless());
    await new Promise((resolve) => out.once('data', resolve));
    out.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    const after = produced;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(produced).toBe(after);
  });
});
