import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>`;

/** `chars` times "A", as a stream of 1 MB chunks (the test never holds the inflated text). */
function repeated(chars: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024, 'A');
  let left = chars;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

function concat(...parts: Array<string | Readable>): Readable {
  return Readable.from(
    (async function* () {
      for (const part of parts) {
        if (typeof part === 'string') yield Buffer.from(part);
        else yield* part;
      }
    })(),
  );
}

/**
 * A workbook whose first sheet is a header ("Name") and one row: its cell is a shared string of
 * `sharedStringChars` characters, or, with `inline`, an inline string of that length in the sheet itself.
 * Deflated, 300 MB of one letter is about 300 KB.
 */
export async function xlsxBomb(sharedStringChars: number, { inline = false } = {}): Promise<Buffer> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
  zip.addBuffer(Buffer.from(WORKBOOK), 'xl/workbook.xml');
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels');
  const sheetHead =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">';
  const sheetTail = '</row></sheetData></worksheet>';
  const sstHead =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">' +
    '<si><t>Name</t></si>';
  if (inline) {
    zip.addReadStream(
      concat(sheetHead, '<c r="A2" t="inlineStr"><is><t>', repeated(sharedStringChars), '</t></is></c>', sheetTail),
      'xl/worksheets/sheet1.xml',
    );
    zip.addBuffer(Buffer.from(`${sstHead}</sst>`), 'xl/sharedStrings.xml');
  } else {
    zip.addBuffer(Buffer.from(`${sheetHead}<c r="A2" t="s"><v>1</v></c>${sheetTail}`), 'xl/worksheets/sheet1.xml');
    zip.addReadStream(
      concat(sstHead, '<si><t>', repeated(sharedStringChars), '</t></si></sst>'),
      'xl/sharedStrings.xml',
    );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The same archive with every size its central directory declares rewritten to `size`: a forged archive
 * whose declared sizes say nothing of what its parts inflate to.
 */
export function withDeclaredSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = out.readUInt32LE(eocd + 16);
  for (let i = out.readUInt16LE(eocd + 10); i > 0; i--) {
    out.writeUInt32LE(size, at + 24);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}
