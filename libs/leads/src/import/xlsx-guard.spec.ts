import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { withDeclaredSizes, xlsxBomb } from '../../../../test/helpers/xlsx-bomb';
import { checkXlsxLimits, XLSX_LIMITS, XlsxFormatError, XlsxLimitError } from './xlsx-guard';

describe('checkXlsxLimits', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xlsx-guard-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, content: Buffer) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  it('lets an ordinary workbook through', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Name', 'E-mail']);
    for (let i = 0; i < 2000; i++) sheet.addRow([`Lead ${i}`, `lead${i}@example.com`]);
    const path = await file('ok.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    await expect(checkXlsxLimits(path)).resolves.toBeUndefined();
  });

  it('refuses shared strings that expand past the limit, from the sizes the archive declares', async () => {
    const path = await file('bomb.xlsx', await xlsxBomb(XLSX_LIMITS.sharedStringsBytes + 1024));
    await expect(checkXlsxLimits(path)).rejects.toThrow(
      new XlsxLimitError(
        "The XLSX file's shared strings (xl/sharedStrings.xml) expand to more than 64 MB: split it or save it as CSV",
      ),
    );
  });

  it('refuses them too when the archive declares small sizes: the inflated bytes are counted', async () => {
    // Short strings (each under the text limit, fewer than the count limit) that add up past 64 MB.
    const { ZipFile } = await import('yazl');
    const zip = new ZipFile();
    const si = Buffer.from(`<si><t>${'A'.repeat(100)}</t></si>`.repeat(1000));
    let left = Math.ceil(XLSX_LIMITS.sharedStringsBytes / si.length) + 1;
    zip.addReadStream(
      new Readable({
        read() {
          this.push(left-- > 0 ? si : null);
        },
      }),
      'xl/sharedStrings.xml',
    );
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const path = await file('forged.xlsx', withDeclaredSizes(Buffer.concat(chunks), 100));
    await expect(checkXlsxLimits(path)).rejects.toThrow(/shared strings .* expand to more than 64 MB/);
  });

  it('refuses a cell text longer than a cell can hold, inline in the sheet', async () => {
    const path = await file('inline.xlsx', await xlsxBomb(XLSX_LIMITS.xmlRunBytes + 1, { inline: true }));
    await expect(checkXlsxLimits(path)).rejects.toThrow(
      /text or tag longer than 256 KB in xl\/worksheets\/sheet1\.xml/,
    );
  });

  it('refuses more shared strings than the table may hold', async () => {
    const { ZipFile } = await import('yazl');
    const zip = new ZipFile();
    const many = '<si><t>x</t></si>'.repeat(XLSX_LIMITS.sharedStrings + 1);
    zip.addBuffer(Buffer.from(`<sst>${many}</sst>`), 'xl/sharedStrings.xml');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const path = await file('many.xlsx', Buffer.concat(chunks));
    await expect(checkXlsxLimits(path)).rejects.toThrow(/more than 1000000 shared strings/);
  });

  it('answers a format error for what is not a ZIP archive', async () => {
    const path = await file('text.xlsx', Buffer.from('Name,E-mail\nA,a@example.com\n'));
    await expect(checkXlsxLimits(path)).rejects.toBeInstanceOf(XlsxFormatError);
  });
});
