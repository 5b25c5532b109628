import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type PersonalDataSink, scavengeEvery } from '@crescendo/platform';

/** Bytes relayed between two scavenges: bounds the dead Buffers an export leaves waiting for the collector. */
const SCAVENGE_EVERY_BYTES = 2 << 20;

/**
 * Writes `{ …header, "data": { "<feature>": { "<section>": [rows…] } } }` to a stream as the rows come,
 * waiting for the stream to drain, so an export of any size holds one row in memory at a time.
 */
export class JsonExportWriter {
  private feature: string | null = null;
  private features = 0;
  private sections = 0;
  rows = 0;
  private readonly relayed = scavengeEvery(SCAVENGE_EVERY_BYTES);

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
      jsonLines: async (name, chunks) => {
        await this.open(feature, name);
        // COPY hands over a row or a few at a time: they are gathered into writes of about 64 kB (fewer, larger
        // buffers for the collector too). Line ends become the commas between rows; each write keeps its last
        // byte back for the next, so the very last line end can be dropped.
        const parts: Buffer[] = [];
        let size = 0;
        let carry: Buffer | null = null;
        const flush = async (final: boolean) => {
          if (!size && !carry) return;
          const out = Buffer.concat(carry ? [carry, ...parts] : parts);
          parts.length = 0;
          size = 0;
          for (let i = out.indexOf(10); i !== -1; i = out.indexOf(10, i + 1)) {
            out[i] = 44;
            this.rows++;
          }
          carry = final ? null : Buffer.from(out.subarray(out.length - 1));
          await this.write(out.subarray(0, out.length - 1));
          this.relayed(out.length);
        };
        for await (const chunk of chunks) {
          parts.push(chunk);
          size += chunk.length;
          if (size >= 65_536) await flush(false);
        }
        await flush(true);
        await this.write(']');
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

  private async write(chunk: string | Buffer): Promise<void> {
    if (this.out.destroyed) throw new Error('The export stream was closed');
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
