import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig, FileStore } from '@crescendo/platform';

/** Bytes `start` to `end`, both included (an HTTP Range, resolved against the size). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where asset bytes live, chosen by STORAGE_DRIVER: the local driver writes under FILES_DIR through FileStore,
 * the S3 one to any S3-compatible object storage. Both pass the same studio specs.
 */
export abstract class AssetStorage {
  /** Stores the stream under the key; rejects (and keeps nothing) when the stream fails. */
  abstract write(key: string, source: Readable): Promise<void>;
  /** The bytes, or the range of them. */
  abstract read(key: string, range?: ByteRange): Promise<Readable>;
  /** Size in bytes, or null when nothing is stored under the key. */
  abstract size(key: string): Promise<number | null>;
  abstract remove(key: string): Promise<void>;
  /** A path or URL ffmpeg and ffprobe can open (and seek in) for a while. */
  abstract probeSource(key: string): Promise<string>;

  /** The file's path on this machine when the driver keeps it on local disk (ffmpeg reads it in place), else null. */
  localPath(key: string): string | null {
    void key;
    return null;
  }

  /** Stores a local file under the key, which then no longer needs it (the local driver moves it in place). */
  async moveIn(key: string, path: string): Promise<void> {
    await this.write(key, createReadStream(path));
  }

  /** A local file holding the key's bytes: the file itself, or a copy written into `dir` under `name`. */
  async localFile(key: string, dir: string, name: string): Promise<string> {
    const path = this.localPath(key);
    if (path) return path;
    const copy = join(dir, name);
    await pipeline(await this.read(key), createWriteStream(copy));
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

  async read(key: string, range?: ByteRange): Promise<Readable> {
    return createReadStream(this.files.path(key), range ? { start: range.start, end: range.end } : {});
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

  /** A rename when the file is on the same file system (a job's work directory under FILES_DIR): no copy. */
  override async moveIn(key: string, path: string): Promise<void> {
    const target = this.files.path(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await super.moveIn(key, path);
    }
  }

  async probeSource(key: string): Promise<string> {
    return this.localPath(key);
  }
}

/**
 * The driver STORAGE_DRIVER names. The S3 one's module is loaded only when chosen: the AWS SDK weighs ≈ 20 MB
 * of RSS in every API and worker process otherwise.
 */
export const assetStorageProvider = {
  provide: AssetStorage,
  inject: [AppConfig, FileStore],
  useFactory: async (config: AppConfig, files: FileStore): Promise<AssetStorage> => {
    if (config.env.STORAGE_DRIVER !== 's3') return new LocalAssetStorage(files);
    const { S3AssetStorage } = await import('./s3-asset-storage');
    return new S3AssetStorage(config);
  },
};
