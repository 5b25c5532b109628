import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@crescendo/platform';
import { readJobEvents } from '../helpers/job-events';
import { StudioDriver, StudioStorage, useStudioStorage } from '../helpers/studio-storage';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { WorkerProcess } from '../helpers/worker-process';
import { download, ffprobe, makeClip, makeTone, processesIn, running, uploadFile } from './media-fixtures';

/** The studio job as the jobs table has it, once it has ended. */
async function ended(t: TestApp, jobId: string, timeoutMs = 90_000) {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const [row] = await t.db.query(`SELECT status, progress, error FROM jobs WHERE id = $1`, [jobId]);
      return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(row?.status) ? row : undefined;
    },
    timeoutMs,
  );
}

// Both storage drivers: on S3 the worker downloads the inputs into its work directory and uploads the output and
// its poster; the API probes the inputs through signed URLs.
describe.each<StudioDriver>(['local', 's3'])('studio: video composition (%s storage)', (driver) => {
  let t: TestApp;
  let storage: StudioStorage;
  let worker: WorkerProcess;
  let owner: TestUser;
  let dir: string;
  const url: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'studio-compose-spec-'));
    storage = await useStudioStorage(driver);
    t = await createTestApp();
    worker = await WorkerProcess.start();
    owner = await signUp(t);
    const files = {
      clip1: await makeClip(join(dir, 'clip1.mp4'), { seconds: 4, tone: 300 }),
      clip2: await makeClip(join(dir, 'clip2.mp4'), { seconds: 4, silent: true }),
      clip3: await makeClip(join(dir, 'clip3.mp4'), { seconds: 4, tone: 700 }),
      long: await makeClip(join(dir, 'long.mp4'), { seconds: 30, size: '640x360' }),
      music: await makeTone(join(dir, 'music.mp3'), 3),
    };
    for (const [name, path] of Object.entries(files)) url[name] = await uploadFile(t, owner, path);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await storage?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const compose = (who: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/studio/video/compose').set(who.auth).send(body);

  const threeClips = () => [
    { url: url.clip1, startTime: 0.5, endTime: 3.5 },
    { url: url.clip2, startTime: 0, endTime: 3 },
    { url: url.clip3.split('/')[4], startTime: 1 }, // by id; to its end (4 s)
  ];
  const cues = [
    { start: 0, end: 2.5, text: 'Bonjour, bienvenue sur Créalia' },
    { start: 4, end: 7, text: 'Second line' },
  ];

  it('composes three clips with fades, music and burned subtitles into one MP4 asset ffprobe reads as expected, analysed like an upload', async () => {
    const res = await compose(owner, {
      clips: threeClips(),
      transitions: ['fade', 'dissolve'],
      music: url.music,
      subtitles: cues,
      outputFormat: 'mp4',
      width: 640,
      height: 360,
      fps: 25,
      title: 'Spring teaser',
    }).expect(202);
    expect(res.body).toEqual({
      jobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'PENDING',
      statusUrl: `/api/studio/jobs/${res.body.jobId}`,
      estimatedTime: expect.any(Number),
    });
    expect(res.body.estimatedTime).toBeGreaterThan(0);
    expect(res.headers.location).toBe(res.body.statusUrl);

    // The platform's own progress stream follows it to its end.
    const { events } = await readJobEvents(t, res.body.jobId, owner.auth);
    expect(events.at(-1)).toMatchObject({ event: 'completed', data: { status: 'COMPLETED', progress: 100 } });
    const progress = events.map((e) => e.data.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const job = (await t.http().get(res.body.statusUrl).set(owner.auth).expect(200)).body;
    expect(job).toMatchObject({
      jobId: res.body.jobId,
      type: 'studio.compose',
      status: 'COMPLETED',
      progress: 100,
      error: null,
      output: {
        assetId: res.body.jobId,
        videoUrl: `/api/studio/assets/${res.body.jobId}/download`,
        width: 640,
        height: 360,
        format: 'mp4',
      },
    });
    // 3 + 3 + 3 seconds, minus two 0.5 s transitions.
    expect(job.output.duration).toBeCloseTo(8, 1);

    const bytes = await download(t, owner, job.output.videoUrl);
    expect(bytes.length).toBe(job.output.size);
    await writeFile(join(dir, 'out.mp4'), bytes);
    const probe = await ffprobe(join(dir, 'out.mp4'));
    expect(Number(probe.format.duration)).toBeCloseTo(8, 1);
    expect(probe.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    expect(probe.streams[0]).toMatchObject({ width: 640, height: 360 });

    // The asset carries what an upload's analysis reads from the file: size, duration, codecs, a poster.
    const asset = (await t.http().get(`/api/studio/assets/${job.output.assetId}`).set(owner.auth).expect(200)).body;
    expect(asset).toMatchObject({
      title: 'Spring teaser',
      kind: 'video',
      mimeType: 'video/mp4',
      source: 'composition',
      jobId: res.body.jobId,
      size: bytes.length,
      width: 640,
      height: 360,
      thumbnailUrl: `/api/studio/assets/${asset.id}/thumbnail`,
      signedThumbnailUrl: expect.stringContaining(`/api/studio/files/${asset.id}/thumbnail?`),
    });
    expect(asset.durationSeconds).toBeCloseTo(8, 1);
    expect(asset.metadata).toMatchObject({
      format: expect.stringContaining('mp4'),
      bitRate: expect.any(Number),
      thumbnailType: 'image/jpeg',
      streams: [
        { type: 'video', codec: 'h264', width: 640, height: 360, fps: 25 },
        { type: 'audio', codec: 'aac', sampleRate: 48000, channels: 2 },
      ],
    });
    const poster = await download(t, owner, asset.thumbnailUrl);
    await writeFile(join(dir, 'poster.jpg'), poster);
    const posterProbe = await ffprobe(join(dir, 'poster.jpg'));
    expect(posterProbe.streams).toMatchObject([{ codec_name: 'mjpeg', width: 320, height: 180 }]);
    // Stored: the output and its poster beside the five uploads (the clips' posters too).
    expect(await storage.keys(t, owner.workspaceId)).toEqual(
      expect.arrayContaining([res.body.jobId, `${res.body.jobId}.thumb`]),
    );
    // Nothing left of its work directory.
    await expect(stat(t.app.get(FileStore).path(`studio-work/${res.body.jobId}`))).rejects.toThrow();
    // The workspace is told (job.completed → in-app notification, written by the worker).
    const notified = await waitFor('the composition notification', async () => {
      const list = await t.http().get('/api/notifications').set(owner.auth).expect(200);
      return list.body.data.find((n: { kind: string }) => n.kind === 'job.completed');
    });
    expect(notified).toMatchObject({ type: 'success', message: 'Video composition finished', read: false });
  }, 120_000);

  it('WebM with the subtitles as a WebVTT track, cuts between clips', async () => {
    const res = await compose(owner, {
      clips: threeClips(),
      music: url.music,
      musicVolume: 0.5,
      subtitles: cues,
      subtitlesMode: 'track',
      outputFormat: 'webm',
      width: 320,
      height: 240,
    }).expect(202);
    expect(await ended(t, res.body.jobId)).toMatchObject({ status: 'COMPLETED' });
    const job = (await t.http().get(res.body.statusUrl).set(owner.auth).expect(200)).body;
    await writeFile(join(dir, 'out.webm'), await download(t, owner, job.output.videoUrl));
    const probe = await ffprobe(join(dir, 'out.webm'));
    expect(Number(probe.format.duration)).toBeCloseTo(9, 0);
    expect(probe.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ['video', 'vp9'],
      ['audio', 'opus'],
      ['subtitle', 'webvtt'],
    ]);
    const asset = (await t.http().get(`/api/studio/assets/${job.output.assetId}`).set(owner.auth).expect(200)).body;
    expect(asset).toMatchObject({ mimeType: 'video/webm', width: 320, height: 240, jobId: res.body.jobId });
    expect(asset.durationSeconds).toBeCloseTo(9, 0);
    expect(asset.metadata.streams.map((s: { codec: string }) => s.codec)).toEqual(['vp9', 'opus']);
    expect((await download(t, owner, asset.thumbnailUrl)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  }, 120_000);

  it('cancel kills ffmpeg, removes its files and keeps no asset; a second cancel is a 409', async () => {
    const res = await compose(owner, {
      clips: [{ url: url.long }, { url: url.long }, { url: url.long }],
      transitions: ['fade'],
      width: 1920,
      height: 1080,
    }).expect(202);
    const { jobId } = res.body;
    const work = t.app.get(FileStore).path(`studio-work/${jobId}`);
    // ffmpeg has written some of it.
    const ffmpeg = await waitFor(
      'ffmpeg to be under way',
      async () => {
        const [row] = await t.db.query(`SELECT progress FROM jobs WHERE id = $1`, [jobId]);
        const pids = await processesIn(work);
        return row.progress > 0 && pids.length ? pids : undefined;
      },
      60_000,
    );
    const cancelled = await t.http().post(`/api/studio/jobs/${jobId}/cancel`).set(owner.auth).expect(200);
    expect(cancelled.body).toMatchObject({ jobId, status: 'CANCELLED', output: null });

    await waitFor('ffmpeg to be killed and the work directory removed', async () =>
      (await processesIn(work)).length === 0 && !(await stat(work).catch(() => null)) ? true : undefined,
    );
    for (const pid of ffmpeg) expect(await running(pid)).toBe(false);
    // The worker saw the cancel and stopped: nothing is retried, nothing stored.
    await waitFor('the worker to log the cancel', async () => (worker.log.includes(jobId) ? true : undefined), 10_000);
    const [row] = await t.db.query(`SELECT status, progress FROM jobs WHERE id = $1`, [jobId]);
    expect(row.status).toBe('CANCELLED');
    expect(await t.db.query(`SELECT id FROM studio_assets WHERE id = $1`, [jobId])).toEqual([]);
    expect((await storage.keys(t, owner.workspaceId)).filter((key) => key.startsWith(jobId))).toEqual([]);

    expectError(await t.http().post(`/api/studio/jobs/${jobId}/cancel`).set(owner.auth), 409, 'JOB_NOT_CANCELLABLE');
  }, 120_000);

  it('GET /api/studio/jobs: my jobs, newest first, filtered by status and type, by cursor', async () => {
    const all = (await t.http().get('/api/studio/jobs').set(owner.auth).expect(200)).body;
    expect(all.data.map((j: { status: string }) => j.status)).toEqual(['CANCELLED', 'COMPLETED', 'COMPLETED']);
    expect(all.pagination).toMatchObject({ total: 3, limit: 20 });

    const completed = (await t.http().get('/api/studio/jobs?status=COMPLETED&type=studio.compose').set(owner.auth))
      .body;
    expect(completed.data).toHaveLength(2);
    expect(completed.data.every((j: { status: string }) => j.status === 'COMPLETED')).toBe(true);

    const first = (await t.http().get('/api/studio/jobs?limit=2').set(owner.auth).expect(200)).body;
    const second = (
      await t
        .http()
        .get(`/api/studio/jobs?limit=2&cursor=${encodeURIComponent(first.pagination.nextCursor)}`)
        .set(owner.auth)
        .expect(200)
    ).body;
    expect([...first.data, ...second.data].map((j: { jobId: string }) => j.jobId)).toEqual(
      all.data.map((j: { jobId: string }) => j.jobId),
    );
    expect(second.pagination.nextCursor).toBeNull();

    // A colleague's jobs are theirs: mine only.
    const member = await addMember(t, owner, 'member');
    expect((await t.http().get('/api/studio/jobs').set(member.auth).expect(200)).body.data).toEqual([]);
    expectError(await t.http().get('/api/studio/jobs?status=DONE').set(owner.auth), 400);
    expectError(await t.http().get('/api/studio/jobs?type=leads.import').set(owner.auth), 400);
    expectError(await t.http().get('/api/studio/jobs?cursor=nonsense').set(owner.auth), 400);
  });

  it('another workspace’s job is a 404, as is an unknown one; a malformed id a 400', async () => {
    const [{ id: jobId }] = await t.db.query(`SELECT id FROM jobs WHERE workspace_id = $1 LIMIT 1`, [
      owner.workspaceId,
    ]);
    const stranger = await signUp(t);
    expectError(await t.http().get(`/api/studio/jobs/${jobId}`).set(stranger.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().post(`/api/studio/jobs/${jobId}/cancel`).set(stranger.auth), 404, 'JOB_NOT_FOUND');
    expect((await t.http().get('/api/studio/jobs').set(stranger.auth).expect(200)).body.data).toEqual([]);
    const unknown = randomUUID(); // the inserted row below must not collide with the other driver's run
    expectError(await t.http().get(`/api/studio/jobs/${unknown}`).set(owner.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().get('/api/studio/jobs/job_999').set(owner.auth), 400);
    // A job of another feature is no studio job.
    await t.db.query(`INSERT INTO jobs (id, workspace_id, user_id, name) VALUES ($1, $2, $3, 'leads.export')`, [
      unknown,
      owner.workspaceId,
      owner.id,
    ]);
    expectError(await t.http().get(`/api/studio/jobs/${unknown}`).set(owner.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().post(`/api/studio/jobs/${unknown}/cancel`).set(owner.auth), 404, 'JOB_NOT_FOUND');
  });

  it('400 for a timeline that does not hold: foreign or unknown assets, times outside the clip, wrong kinds', async () => {
    const stranger = await signUp(t);
    const theirs = await uploadFile(t, stranger, join(dir, 'clip1.mp4'));
    const bad: Array<[string, Record<string, unknown>, string]> = [
      ['no clips', { clips: [] }, 'VALIDATION_FAILED'],
      ['a URL elsewhere', { clips: [{ url: 'https://example.invalid/clip.mp4' }] }, 'INVALID_TIMELINE'],
      ['a path elsewhere', { clips: [{ url: '/uploads/users/user_123/clip1.mp4' }] }, 'INVALID_TIMELINE'],
      ['another workspace’s asset', { clips: [{ url: theirs }] }, 'INVALID_TIMELINE'],
      [
        'an unknown asset',
        { clips: [{ url: '/api/studio/assets/00000000-0000-4000-8000-000000000001/download' }] },
        'INVALID_TIMELINE',
      ],
      ['endTime past the clip', { clips: [{ url: url.clip1, endTime: 9 }] }, 'INVALID_TIMELINE'],
      ['startTime after endTime', { clips: [{ url: url.clip1, startTime: 3, endTime: 2 }] }, 'INVALID_TIMELINE'],
      ['audio as a clip', { clips: [{ url: url.music }] }, 'INVALID_TIMELINE'],
      ['music without sound', { clips: [{ url: url.clip1 }], music: url.clip2 }, 'INVALID_TIMELINE'],
      ['foreign music', { clips: [{ url: url.clip1 }], music: theirs }, 'INVALID_TIMELINE'],
      [
        'two transitions for three boundaries',
        {
          clips: [{ url: url.clip1 }, { url: url.clip1 }, { url: url.clip1 }, { url: url.clip1 }],
          transitions: ['fade', 'fade'],
        },
        'INVALID_TIMELINE',
      ],
      [
        'an unknown transition',
        { clips: [{ url: url.clip1 }, { url: url.clip1 }], transitions: ['explode'] },
        'VALIDATION_FAILED',
      ],
      [
        'transitions longer than a clip',
        { clips: [{ url: url.clip1 }, { url: url.clip1, endTime: 1 }], transitions: ['fade'], transitionDuration: 2 },
        'INVALID_TIMELINE',
      ],
      ['an odd width', { clips: [{ url: url.clip1 }], width: 641 }, 'INVALID_TIMELINE'],
      ['an unknown format', { clips: [{ url: url.clip1 }], outputFormat: 'avi' }, 'VALIDATION_FAILED'],
      [
        'a cue ending before it starts',
        { clips: [{ url: url.clip1 }], subtitles: [{ start: 2, end: 1, text: 'x' }] },
        'INVALID_TIMELINE',
      ],
    ];
    for (const [what, body, code] of bad) {
      const res = await compose(owner, body);
      try {
        expectError(res, 400, code);
      } catch (error) {
        throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}\n${String(error)}`);
      }
    }
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM jobs WHERE workspace_id = $1 AND user_id = $2`, [
      owner.workspaceId,
      owner.id,
    ]);
    expect(n).toBe(4); // the three compositions above and the inserted leads.export row: nothing queued

    // Lengths come from the uploads' analysis; an asset without it (its analysis failed) is probed at once.
    await t.db.query(`UPDATE studio_assets SET duration_seconds = NULL, metadata = '{}' WHERE id = $1`, [
      url.clip1.split('/')[4],
    ]);
    const probed = await compose(owner, { clips: [{ url: url.clip1, endTime: 9 }] });
    expectError(probed, 400, 'INVALID_TIMELINE');
    expect(JSON.stringify(probed.body)).toMatch(/clip’s end \(4\.\d\d s\)/);
  });

  it('401 without credentials; 403 for a viewer composing or cancelling, who still reads the jobs', async () => {
    expectError(
      await t
        .http()
        .post('/api/studio/video/compose')
        .send({ clips: [{ url: url.clip1 }] }),
      401,
    );
    expectError(await t.http().get('/api/studio/jobs'), 401);
    const [{ id: jobId }] = await t.db.query(
      `SELECT id FROM jobs WHERE name = 'studio.compose' AND workspace_id = $1 LIMIT 1`,
      [owner.workspaceId],
    );
    expectError(await t.http().get(`/api/studio/jobs/${jobId}`), 401);
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await compose(viewer, { clips: [{ url: url.clip1 }] }), 403);
    expectError(await t.http().post(`/api/studio/jobs/${jobId}/cancel`).set(viewer.auth), 403);
    await t.http().get(`/api/studio/jobs/${jobId}`).set(viewer.auth).expect(200);
  });
});
