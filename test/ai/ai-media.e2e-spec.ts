import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { binary, probe, testVideo } from '../helpers/studio-media';
import { addMember, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** AI images, voice-overs and subtitles against the fake OpenAI server, kept as studio assets. */
describe('AI media (images, voice, subtitles)', () => {
  let bed: AiTestBed;
  let t: TestApp;
  let fake: FakeOpenAI;

  const post = (user: TestUser, path: string, body: object) => t.http().post(path).set(user.auth).send(body);
  const download = (user: TestUser, url: string) => t.http().get(url).set(user.auth).buffer(true).parse(binary);
  const quotaUsed = async (workspaceId: string) =>
    Number(
      (
        await t.db.query(`SELECT coalesce(sum(used), 0) AS used FROM ai_quota_usage WHERE workspace_id = $1`, [
          workspaceId,
        ])
      )[0].used,
    );
  const finished = (user: TestUser, jobId: string) =>
    waitFor(
      `job ${jobId}`,
      async () => {
        const job = (await t.http().get(`/api/jobs/${jobId}`).set(user.auth).expect(200)).body;
        return job.status === 'COMPLETED' || job.status === 'FAILED' ? job : undefined;
      },
      60_000,
    );

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (f) => [f.provider({ name: 'Fake', maxRetries: 0 })],
      // The fake servers and the remote audio listen on 127.0.0.1.
      env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true', AI_QUOTA_FREE: '5' },
      withWorker: true,
    });
    ({ t, fake } = bed);
  }, 90_000);
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  it('POST /api/ai/images: the seed’s {jobId, status, output:{urls}}, the PNG stored as an asset of the job', async () => {
    const user = await signUp(t);
    const res = await post(user, '/api/ai/images', {
      prompt: 'A futuristic city at sunset',
      size: '1792x1024',
      quality: 'hd',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      jobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'COMPLETED',
      output: {
        urls: [expect.stringMatching(/^\/api\/studio\/assets\/[0-9a-f-]{36}\/download$/)],
        assetIds: [expect.any(String)],
        revisedPrompt: 'revised: A futuristic city at sunset',
      },
    });
    expect(fake.requests[0].body).toMatchObject({
      model: 'dall-e-3',
      prompt: 'A futuristic city at sunset',
      size: '1792x1024',
      quality: 'hd',
      response_format: 'b64_json',
    });
    const image = await download(user, res.body.output.urls[0]).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(await sharp(image.body as Buffer).metadata()).toMatchObject({ format: 'png', width: 1792, height: 1024 });
    const asset = (await t.http().get(`/api/studio/assets/${res.body.output.assetIds[0]}`).set(user.auth).expect(200))
      .body;
    expect(asset).toMatchObject({
      kind: 'image',
      source: 'ai-image',
      jobId: res.body.jobId,
      width: 1792,
      height: 1024,
    });
    expect(asset.thumbnailUrl).toEqual(expect.any(String));
    const job = (await t.http().get(`/api/jobs/${res.body.jobId}`).set(user.auth).expect(200)).body;
    expect(job).toMatchObject({ type: 'ai.media', status: 'COMPLETED', result: res.body.output });
    const [ledger] = await t.db.query(`SELECT feature, model, status FROM ai_usage WHERE workspace_id = $1`, [
      user.workspaceId,
    ]);
    expect(ledger).toEqual({ feature: 'studio:image', model: 'dall-e-3', status: 'ok' });
    expect(await quotaUsed(user.workspaceId)).toBe(1);
  });

  it('POST /api/ai/voice: an MP3 that plays (ffprobe), served at output.audioUrl with Range; subtitles of it', async () => {
    const user = await signUp(t);
    const text = 'Bonjour et bienvenue sur Créalia, le studio';
    const res = await post(user, '/api/ai/voice', { text, voice: 'nova', speed: 1.25 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'COMPLETED',
      output: { audioUrl: `/api/ai/voice/${res.body.jobId}/audio.mp3`, assetId: expect.any(String) },
    });
    expect(fake.requests[0].body).toMatchObject({ model: 'tts-1', input: text, voice: 'nova', speed: 1.25 });
    const audio = await download(user, res.body.output.audioUrl).expect(200);
    expect(audio.headers['content-type']).toBe('audio/mpeg');
    const probed = await probe(audio.body as Buffer);
    expect(probed.streams).toEqual([expect.objectContaining({ codec_type: 'audio', codec_name: 'mp3' })]);
    expect(probed.duration).toBeGreaterThan(2.5); // 7 words × 0.4 s
    expect(res.body.output.durationSeconds).toBeCloseTo(probed.duration, 0);
    const part = await download(user, res.body.output.audioUrl).set('Range', 'bytes=0-99').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${(audio.body as Buffer).length}`);

    // Subtitles of the voice-over, by its audioUrl: timings from the transcription's segments.
    fake.reset();
    const subs = await post(user, '/api/ai/subtitles', { audioUrl: res.body.output.audioUrl, language: 'fr' });
    expect(subs.status).toBe(200);
    const half = Math.round((probed.duration / 2) * 100) / 100;
    expect(subs.body.output.subtitles).toEqual([
      { start: 0, end: half, text: 'first half' },
      { start: half, end: probed.duration, text: 'second half' },
    ]);
    expect(fake.requests[0].body).toMatchObject({
      model: 'whisper-1',
      language: 'fr',
      response_format: 'verbose_json',
    });
    expect(Buffer.compare(fake.requests[0].body.fileBytes, audio.body as Buffer)).toBe(0);
    const srt = await t.http().get(subs.body.output.srtUrl).set(user.auth).expect(200);
    expect(srt.headers['content-type']).toContain('application/x-subrip');
    expect(srt.text).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nfirst half\n\n2\n/);
    const vtt = await t.http().get(subs.body.output.vttUrl).set(user.auth).expect(200);
    expect(vtt.headers['content-type']).toContain('text/vtt');
    expect(vtt.text).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:0\d\.\d{3}\nfirst half\n/);
    const srtAsset = await download(user, `/api/studio/assets/${subs.body.output.assetId}/download`).expect(200);
    expect((srtAsset.body as Buffer).toString('utf8')).toBe(srt.text);
    expect(await quotaUsed(user.workspaceId)).toBe(2);
  });

  it('subtitles of an uploaded video asset, and of a remote file (always a job, 202, run by the worker)', async () => {
    const user = await signUp(t);
    const video = await testVideo({ seconds: 3, width: 160, height: 120 });
    const up = await t.http().post('/api/studio/upload').set(user.auth).attach('file', video, 'clip.mp4').expect(200);
    const own = await post(user, '/api/ai/subtitles', { audioUrl: up.body.url });
    expect(own.status).toBe(200);
    expect(own.body.output.subtitles.at(-1).end).toBeCloseTo(3, 0);

    const remote: Server = createServer((_req, res) => res.end(video));
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/media/clip.mp4`;
      const queued = await post(user, '/api/ai/subtitles', { audioUrl: url });
      expect(queued.status).toBe(202);
      const job = await finished(user, queued.body.jobId);
      expect(job.status).toBe('COMPLETED');
      expect(job.result.subtitles).toHaveLength(2);
      await t.http().get(job.result.vttUrl).set(user.auth).expect(200);
    } finally {
      remote.close();
    }
  }, 60_000);

  it('Prefer: respond-async queues an image (202, Location); the job’s result is the 200 output', async () => {
    const user = await signUp(t);
    const queued = await t
      .http()
      .post('/api/ai/images')
      .set(user.auth)
      .set('Prefer', 'respond-async')
      .send({ prompt: 'A lighthouse' });
    expect(queued.status).toBe(202);
    expect(queued.headers.location).toBe(`/api/jobs/${queued.body.jobId}`);
    const job = await finished(user, queued.body.jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', result: { urls: [expect.any(String)] } });
    await download(user, job.result.urls[0]).expect(200);
    expect(await quotaUsed(user.workspaceId)).toBe(1);
  }, 60_000);

  it('uses the workspace’s own OpenAI key (BYOK) for media too', async () => {
    const { FakeOpenAI: Fake } = await import('../helpers/fake-openai');
    const ownServer = await Fake.start();
    try {
      const user = await signUp(t);
      await t
        .http()
        .put('/api/settings/integrations')
        .set(user.auth)
        .send({ openaiApiKey: 'sk-workspace-media-1234', openaiBaseUrl: ownServer.baseUrl })
        .expect(200);
      await post(user, '/api/ai/voice', { text: 'hello there' }).expect(200);
      expect(fake.requests).toHaveLength(0);
      expect(ownServer.requests[0].path).toBe('/v1/audio/speech');
      expect(ownServer.requests[0].headers.authorization).toBe('Bearer sk-workspace-media-1234');
    } finally {
      await ownServer.close();
    }
  });

  it('402 AI_QUOTA_EXCEEDED once the month’s quota is used; a failed generation gives its unit back (502)', async () => {
    const user = await signUp(t);
    fake.reply({ status: 500 });
    expectError(await post(user, '/api/ai/images', { prompt: 'fails' }), 502, 'AI_PROVIDER_ERROR');
    expect(await quotaUsed(user.workspaceId)).toBe(0);
    await t.db.query(
      `INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, 5)
       ON CONFLICT (workspace_id, period) DO UPDATE SET used = 5`,
      [user.workspaceId],
    );
    const refused = await post(user, '/api/ai/voice', { text: 'no more' });
    expectError(refused, 402, 'AI_QUOTA_EXCEEDED');
    expect(fake.requests).toHaveLength(1);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM studio_assets WHERE workspace_id = $1`, [
      user.workspaceId,
    ]);
    expect(count).toBe(0);
  });

  it('400 for invalid input, 401 without credentials, 403 for a viewer, 404 for another workspace’s asset or job', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    for (const [path, body] of [
      ['/api/ai/images', { prompt: '' }],
      ['/api/ai/images', { prompt: 'x', size: '10x10' }],
      ['/api/ai/images', { prompt: 'x', quality: 'ultra' }],
      ['/api/ai/voice', { text: 'x', voice: 'robot' }],
      ['/api/ai/voice', { text: 'x', speed: 5 }],
      ['/api/ai/voice', { text: 'x'.repeat(4097) }],
      ['/api/ai/subtitles', { audioUrl: 'x', language: 'french' }],
    ] as const) {
      expectError(await post(owner, path, body), 400, 'VALIDATION_FAILED');
    }
    expectError(
      await post(owner, '/api/ai/subtitles', { audioUrl: 'ftp://example.invalid/a.mp3' }),
      400,
      'AUDIO_URL_INVALID',
    );
    const image = (await post(owner, '/api/ai/images', { prompt: 'logo' }).expect(200)).body;
    expectError(await post(owner, '/api/ai/subtitles', { audioUrl: image.output.urls[0] }), 400, 'AUDIO_REQUIRED');
    expect(fake.requests).toHaveLength(1);

    expectError(await t.http().post('/api/ai/images').set('X-Forwarded-For', randomIp()).send({ prompt: 'x' }), 401);
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await post(viewer, '/api/ai/voice', { text: 'x' }), 403);

    expectError(await post(stranger, '/api/ai/subtitles', { audioUrl: image.output.urls[0] }), 404, 'ASSET_NOT_FOUND');
    expectError(await t.http().get(`/api/ai/voice/${image.jobId}/audio.mp3`).set(stranger.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().get(`/api/ai/subtitles/${image.jobId}/subtitles.srt`).set(stranger.auth), 404);
    // The image job has no audio nor subtitles.
    expectError(
      await t.http().get(`/api/ai/voice/${image.jobId}/audio.mp3`).set(owner.auth),
      404,
      'AI_MEDIA_OUTPUT_NOT_FOUND',
    );
    expectError(await t.http().get('/api/ai/voice/not-a-uuid/audio.mp3').set(owner.auth), 400);
  });
});

describe('AI subtitles with private URLs refused (the default)', () => {
  let bed: AiTestBed;
  beforeAll(async () => {
    bed = await startAiTestBed({ providers: (f) => [f.provider()] });
  }, 60_000);
  afterAll(() => bed?.close());

  it('400 AUDIO_URL_NOT_ALLOWED for a loopback or link-local audioUrl; nothing asked of the provider', async () => {
    const user = await signUp(bed.t);
    for (const audioUrl of ['http://127.0.0.1:9/a.mp3', 'http://169.254.169.254/latest/meta-data']) {
      const res = await bed.t.http().post('/api/ai/subtitles').set(user.auth).send({ audioUrl });
      expectError(res, 400, 'AUDIO_URL_NOT_ALLOWED');
    }
    expect(bed.fake.requests).toHaveLength(0);
  });
});
