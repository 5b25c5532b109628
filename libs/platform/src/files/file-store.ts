import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream, ReadStream, WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AppConfig } from '../config/config.service';

/**
 * Files shared by the API and the worker (uploads waiting for an import, job reports, exports) under
 * FILES_DIR: a directory both processes mount (a volume in docker-compose.yml).
 */
@Injectable()
export class FileStore {
  readonly root: string;

  constructor(config: AppConfig) {
    this.root = resolve(config.env.FILES_DIR);
  }

  /** Absolute path of a key such as `jobs/<id>/report.csv`; refuses keys that would leave the root. */
  path(key: string): string {
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + sep) || key.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`Invalid file key: ${key}`);
    }
    return full;
  }

  async writeStream(key: string): Promise<WriteStream> {
    const full = this.path(key);
    await mkdir(dirname(full), { recursive: true });
    return createWriteStream(full);
  }

  readStream(key: string): ReadStream {
    return createReadStream(this.path(key));
  }

  /** Size in bytes, or null when the file is not there. */
  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch {
      return null;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { recursive: true, force: true });
  }

  /** A key under a folder, for callers that build keys from ids. */
  static key(...parts: string[]): string {
    return join(...parts)
      .split(sep)
      .join('/');
  }
}
