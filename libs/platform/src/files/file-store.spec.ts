import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppConfig } from '../config/config.service';
import { FILE_WRITE_BYTES, FileStore } from './file-store';

describe('FileStore', () => {
  let root: string;
  let files: FileStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'crescendo-file-store-'));
    files = new FileStore({ env: { FILES_DIR: root } } as AppConfig);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes every byte of many small chunks in order, and the file is whole once the pipeline ends', async () => {
    // Chunks of 1 B to 20 KB, ≈ 3 × FILE_WRITE_BYTES in all: full writes, a partial last one, Buffers and strings.
    const chunks: Array<Buffer | string> = [];
    let total = 0;
    for (let i = 0; total < 3 * FILE_WRITE_BYTES + 12_345; i++) {
      const size = 1 + ((i * 7919) % 20_000);
      chunks.push(i % 5 === 0 ? 'é'.repeat(Math.ceil(size / 2)) : randomBytes(size));
      total += Buffer.byteLength(chunks.at(-1)!);
    }
    await pipeline(Readable.from(chunks), await files.writeStream('jobs/a/export.csv'));

    const written = await readFile(files.path('jobs/a/export.csv'));
    expect(written.length).toBe(total);
    expect(written.equals(Buffer.concat(chunks.map((c) => Buffer.from(c))))).toBe(true);
    expect(await files.size('jobs/a/export.csv')).toBe(total);
  });

  it('creates an empty file for an empty stream, and truncates a file it rewrites', async () => {
    await pipeline(Readable.from([Buffer.from('old content, longer')]), await files.writeStream('r.csv'));
    await pipeline(Readable.from([Buffer.from('new')]), await files.writeStream('r.csv'));
    expect(await readFile(files.path('r.csv'), 'utf8')).toBe('new');

    await pipeline(Readable.from([]), await files.writeStream('empty.csv'));
    expect(await files.size('empty.csv')).toBe(0);
  });

  it('fails the pipeline when the file cannot be opened', async () => {
    await mkdir(files.path('taken/by-a-folder'), { recursive: true });
    await expect(
      pipeline(Readable.from([Buffer.from('x')]), await files.writeStream('taken/by-a-folder')),
    ).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('closes the file when the stream is destroyed half-way, keeping what was written', async () => {
    const out = await files.writeStream('half.csv');
    const big = Buffer.alloc(FILE_WRITE_BYTES + 10, 'a');
    await new Promise<void>((resolve, reject) => out.write(big, (error) => (error ? reject(error) : resolve())));
    const failed = new Promise((resolve) => out.once('error', resolve));
    const closed = new Promise((resolve) => out.once('close', resolve));
    out.destroy(new Error('client gone'));
    expect(await failed).toMatchObject({ message: 'client gone' });
    await closed;
    expect(await files.size('half.csv')).toBe(big.length);
  });

  it('refuses keys that would leave its root', () => {
    for (const key of ['../outside.csv', 'a/../../outside.csv', '/etc/passwd', 'a//b']) {
      expect(() => files.path(key)).toThrow('Invalid file key');
    }
    expect(existsSync(join(root, '..', 'outside.csv'))).toBe(false);
  });
});
