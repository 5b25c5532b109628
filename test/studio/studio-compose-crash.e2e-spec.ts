import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@crescendo/platform';
import { createTestApp, signUp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { WorkerProcess } from '../helpers/worker-process';
import { ffprobe, makeClip, makeTone, processesIn, running, uploadFile } from './media-fixtures';

/** Within this after the kill, another worker runs the job again (lock duration + stalled-check interval). */
const PICKUP_MS = 30_000;

describe('studio composition: the worker killed (kill -9) mid-composition, then restarted', () => {
  let t: TestApp;
  let dir: string;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'studio-crash-spec-'));
    t = await createTestApp();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });
  const startWorker = async () => {
    const worker = await WorkerProcess.start();
    workers.push(worker);
    return worker;
  };

  it('one finished asset, the output in storage once, no work files, no ffmpeg left running; a cancelled queued job never runs', async () => {
    const owner = await signUp(t);
    const clip = await uploadFile(t, owner, await makeClip(join(dir, 'clip.mp4'), { seconds: 20, size: '640x360' }));
    const music = await uploadFile(t, owner, await makeTone(join(dir, 'music.mp3'), 5));
    // Queued while no worker runs, then cancelled: it never runs, even once workers start.
    const queued = await t
      .http()
      .post('/api/studio/video/compose')
      .set(owner.auth)
      .send({ clips: [{ url: clip }] })
      .expect(202);
    const cancelled = await t.http().post(`/api/studio/jobs/${queued.body.jobId}/cancel`).set(owner.auth).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', startedAt: null });

    const first = await startWorker();
    const res = await t
      .http()
      .post('/api/studio/video/compose')
      .set(owner.auth)
      .send({
        clips: [{ url: clip }, { url: clip, startTime: 2 }],
        transitions: ['fade'],
        music,
        subtitles: [{ start: 1, end: 3, text: 'Crash test' }],
        width: 1280,
        height: 720,
      })
      .expect(202);
    const { jobId } = res.body;
    const files = t.app.get(FileStore);
    const work = files.path(`studio-work/${jobId}`);

    // ffmpeg well under way: the worker dies, as to the OOM killer.
    const ffmpeg = await waitFor(
      'ffmpeg to be under way',
      async () => {
        const [row] = await t.db.query(`SELECT progress FROM jobs WHERE id = $1`, [jobId]);
        const pids = await processesIn(work);
        return row.progress >= 5 && pids.length ? pids : undefined;
      },
      90_000,
    );
    await first.kill();
    const killedAt = Date.now();
    const [before] = await t.db.query(`SELECT status FROM jobs WHERE id = $1`, [jobId]);
    expect(before.status).toBe('PROCESSING');
    // The orphaned ffmpeg dies on its next progress write to the dead worker's pipe.
    await waitFor('the orphaned ffmpeg to die', async () => {
      for (const pid of ffmpeg) if (await running(pid)) return undefined;
      return true;
    });
    expect(await t.db.query(`SELECT id FROM studio_assets WHERE id = $1`, [jobId])).toEqual([]);

    await startWorker();
    const resumedAt = await waitFor(
      'the job to be picked up again',
      async () => {
        const [row] = await t.db.query('SELECT started_at FROM jobs WHERE id = $1', [jobId]);
        return row.started_at.getTime() > killedAt ? Date.now() : undefined;
      },
      PICKUP_MS + 10_000,
    );
    expect(resumedAt - killedAt).toBeLessThan(PICKUP_MS);
    await waitFor(
      'the composition to complete',
      async () => {
        const [row] = await t.db.query(`SELECT status FROM jobs WHERE id = $1`, [jobId]);
        if (row.status === 'FAILED') throw new Error('The composition failed after the restart');
        return row.status === 'COMPLETED' ? true : undefined;
      },
      180_000,
    );

    const job = (await t.http().get(`/api/studio/jobs/${jobId}`).set(owner.auth).expect(200)).body;
    expect(job).toMatchObject({ status: 'COMPLETED', progress: 100, output: { assetId: jobId } });
    // One composition asset, beside the two uploads; in storage, their files (and thumbnails) and nothing else.
    const assets = await t.db.query(
      `SELECT id, source, size::float8 AS size, thumbnail_key FROM studio_assets WHERE workspace_id = $1`,
      [owner.workspaceId],
    );
    expect(assets.filter((a: { source: string }) => a.source === 'composition')).toEqual([
      // Its poster too, written once whatever the attempts (the key derives from the job id).
      {
        id: jobId,
        source: 'composition',
        size: job.output.size,
        thumbnail_key: `studio/${owner.workspaceId}/${jobId}.thumb`,
      },
    ]);
    expect((await readdir(files.path(`studio/${owner.workspaceId}`))).sort()).toEqual(
      assets
        .flatMap((a: { id: string; thumbnail_key: string | null }) => [
          a.id,
          ...(a.thumbnail_key ? [a.thumbnail_key.split('/').pop()] : []),
        ])
        .sort(),
    );
    await expect(stat(work)).rejects.toThrow();
    const [never] = await t.db.query(`SELECT status, started_at FROM jobs WHERE id = $1`, [queued.body.jobId]);
    expect(never).toEqual({ status: 'CANCELLED', started_at: null });
    const probe = await ffprobe(files.path(`studio/${owner.workspaceId}/${jobId}`));
    expect(Number(probe.format.duration)).toBeCloseTo(37.5, 0);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
  }, 400_000);
});
