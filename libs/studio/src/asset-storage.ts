import { Injectable } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@crescendo/platform';

/**
 * Where asset bytes live. The local driver writes under FILES_DIR through FileStore; an object-storage driver
 * (S3-compatible) implements the same four calls.
 */
export abstract class AssetStorage {
  /** Stores the stream under the key; rejects (and keeps nothing) when the stream fails. */
  abstract write(key: string, source: Readable): Promise<void>;
  abstract read(key: string): Readable;
  /** Size in bytes, or null when nothing is stored under the key. */
  abstract size(key: string): Promise<number | null>;
  abstract remove(key: string): Promise<void>;

  /** The file's path on this machine when the driver keeps it on local disk (ffmpeg reads it in place), else null. */
  localPath(key: string): string | null {
    void key;
    return null;
  }

  /** A local file holding the key's bytes: the file itself, or a copy written into `dir` under `name`. */
  async localFile(key: string, dir: string, name: string): Promise<string> {
    const path = this.localPath(key);
    if (path) return path;
    const copy = join(dir, name);
    await pipeline(this.read(key), createWriteStream(copy));
    return copy;
  }
}

@Injectable()
export class LocalAssetStorage extends AssetStorage {
  constructor(private readonly files: FileStore) {
    super();
  }

  async write(key: string, source: Readable): Promise<void> {
    try {
      await pipeline(source, await this.files.writeStream(key));
    } catch (error) {
      await this.files.remove(key);
      throw error;
    }
  }

  read(key: string): Readable {
    return this.files.readStream(key);
  }

  size(key: string): Promise<number | null> {
    return this.files.size(key);
  }

  remove(key: string): Promise<void> {
    return this.files.remove(key);
  }

  override localPath(key: string): string {
    return this.files.path(key);
  }
}
