/**
 * The studio's two storage drivers for specs: `local` (FILES_DIR, the test default) and `s3`, against a real
 * S3-compatible server (s3rver) started here on 127.0.0.1, a random port and a temporary directory.
 *
 *   const storage = await useStudioStorage('s3');   // before createTestApp(): sets STORAGE_DRIVER and S3_*
 *   t = await createTestApp();
 *   await storage.keys(t, workspaceId);            // what the driver holds for the workspace
 *   await storage.close();                          // after t.close(): stops s3rver, restores the env
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import S3rver = require('s3rver');
import { FileStore } from '@crescendo/platform';
import type { TestApp } from './test-app';

export type StudioDriver = 'local' | 's3';

export interface StudioStorage {
  driver: StudioDriver;
  /** The names stored for the workspace (its assets' ids, and `<id>.thumb` for thumbnails), sorted. */
  keys(t: TestApp, workspaceId: string): Promise<string[]>;
  close(): Promise<void>;
}

const BUCKET = 'crescendo-studio-test';

export async function useStudioStorage(driver: StudioDriver): Promise<StudioStorage> {
  if (driver === 'local') {
    return {
      driver,
      keys: async (t, workspaceId) =>
        (await readdir(t.app.get(FileStore).path(`studio/${workspaceId}`)).catch(() => [] as string[])).sort(),
      close: async () => undefined,
    };
  }
  const directory = await mkdtemp(join(tmpdir(), 'crescendo-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = (await server.run()) as AddressInfo;
  const env: Record<string, string> = {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: BUCKET,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    driver,
    keys: async (_t, workspaceId) => {
      const prefix = `studio/${workspaceId}/`;
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
      return (listed.Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
    },
    close: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
