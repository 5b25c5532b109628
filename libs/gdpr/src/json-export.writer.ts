import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { PersonalDataSink } from '@crescendo/platform';

/**
 * Writes `{ …header, "data": { "<feature>": { "<section>": [rows…] } } }` to a stream as the rows come,
 * waiting for the stream to drain, so an export of any size holds one row in memory at a time.
 */
export class JsonExportWriter {
  private feature: string | null = null;
  private features = 0;
  private sections = 0;
  rows = 0;

  constructor(private readonly out: Writable) {}

  async begin(header: Record<string, unknown>): Promise<void> {
    const head = JSON.stringify(header);
    await this.write(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"data":{`);
  }

  /** A sink whose sections land under `feature`. */
  sinkFor(feature: string): PersonalDataSink {
    return {
      section: async (name, rows) => {
        await this.open(feature, name);
        let first = true;
        for await (const row of rows as AsyncIterable<unknown>) {
          await this.write((first ? '' : ',') + JSON.stringify(row));
          first = false;
          this.rows++;
        }
        await this.write(']');
      },
      jsonSection: async (name, rows) => {
        await this.open(feature, name);
        // Rows are gathered into chunks of about 64 kB: one write per row would cost more than the row.
        let chunk = '';
        let first = true;
        for await (const row of rows) {
          chunk += first ? row : `,${row}`;
          first = false;
          this.rows++;
          if (chunk.length >= 65_536) {
            await this.write(chunk);
            chunk = '';
          }
        }
        await this.write(`${chunk}]`);
      },
    };
  }

  private async open(feature: string, section: string): Promise<void> {
    if (this.feature !== feature) {
      if (this.feature !== null) await this.write('}');
      await this.write(`${this.features++ ? ',' : ''}${JSON.stringify(feature)}:{`);
      this.feature = feature;
      this.sections = 0;
    }
    await this.write(`${this.sections++ ? ',' : ''}${JSON.stringify(section)}:[`);
  }

  async end(): Promise<void> {
    await this.write(this.feature !== null ? '}}}\n' : '}}\n');
  }

  private async write(chunk: string): Promise<void> {
    if (this.out.destroyed) throw new Error('The export stream was closed');
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
