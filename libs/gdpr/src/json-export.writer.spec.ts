import { PassThrough } from 'node:stream';
import { JsonExportWriter } from './json-export.writer';

async function exported(write: (writer: JsonExportWriter) => Promise<void>): Promise<unknown> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const writer = new JsonExportWriter(out);
  await writer.begin({ format: 'test' });
  await write(writer);
  await writer.end();
  return JSON.parse(text);
}

describe('JsonExportWriter', () => {
  it('turns JSON lines cut anywhere across chunks, beyond one 64 kB write, into one array', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ id: i, note: `line ${i} with "quotes", commas\\n` }));
    const lines = Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    async function* chunks() {
      // Uneven cuts, some inside a row, some on a line end.
      for (let at = 0, step = 1; at < lines.length; at += step, step = (step * 7 + 3) % 9_973) {
        yield lines.subarray(at, at + step);
      }
    }
    const body = (await exported(async (w) => {
      await w.sinkFor('leads').jsonLines!('leads', chunks());
      await w.sinkFor('leads').jsonLines!('empty', (async function* () {})());
    })) as { format: string; data: { leads: { leads: unknown[]; empty: unknown[] } } };
    expect(body.format).toBe('test');
    expect(body.data.leads.leads).toEqual(rows);
    expect(body.data.leads.empty).toEqual([]);
  });
});
