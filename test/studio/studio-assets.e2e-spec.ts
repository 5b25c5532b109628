import { deflateSync } from 'node:zlib';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { StudioDriver, StudioStorage, useStudioStorage } from '../helpers/studio-storage';
import { binary, gpsJpeg, testVideo } from '../helpers/studio-media';

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const thumbs = (ids: string[]) => ids.flatMap((id) => [id, `${id}.thumb`]).sort();

describe.each<StudioDriver>(['local', 's3'])('studio assets (%s storage)', (driver) => {
  let t: TestApp;
  let user: TestUser;
  let storage: StudioStorage;
  const png = tinyPng();
  const studioFiles = (_t: TestApp, workspaceId: string) => storage.keys(t, workspaceId);

  const upload = (who: TestUser, data: Buffer, name: string, contentType = 'image/png') =>
    t.http().post('/api/studio/upload').set(who.auth).attach('file', data, { filename: name, contentType });

  beforeAll(async () => {
    storage = await useStudioStorage(driver);
    t = await createTestApp();
    user = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await storage.close();
  });

  it('uploads a PNG, answers {fileId, url, size, mimeType} and serves the same bytes back', async () => {
    const res = await upload(user, png, 'pixel.png', 'application/octet-stream').expect(200);
    expect(res.body).toEqual({
      fileId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: `/api/studio/assets/${res.body.fileId}/download`,
      size: png.length,
      mimeType: 'image/png',
    });
    const file = await t
      .http()
      .get(res.body.url)
      .set(user.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(file.body as Buffer, png)).toBe(0);
    expect(await studioFiles(t, user.workspaceId)).toEqual(thumbs([res.body.fileId]));
    const asset = await t.http().get(`/api/studio/assets/${res.body.fileId}`).set(user.auth).expect(200);
    expect(asset.body).toMatchObject({ width: 1, height: 1, durationSeconds: null, source: 'upload', jobId: null });
    expect(asset.body.metadata).toMatchObject({ format: 'png' });
    const thumb = await t.http().get(asset.body.thumbnailUrl).set(user.auth).buffer(true).parse(binary).expect(200);
    expect(thumb.headers['content-type']).toBe('image/webp');

    // Signed links serve <img>/<video> without credentials, with Range; a forged or expired one does not.
    const signed = await t.http().get(asset.body.signedUrl).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(signed.body as Buffer, png)).toBe(0);
    const signedPart = await t.http().get(asset.body.signedUrl).set('Range', 'bytes=0-7').buffer(true).parse(binary);
    expect(signedPart.status).toBe(206);
    expect((signedPart.body as Buffer).length).toBe(8);
    const signedThumb = await t.http().get(asset.body.signedThumbnailUrl).buffer(true).parse(binary).expect(200);
    expect(signedThumb.headers['content-type']).toBe('image/webp');
    const forged = asset.body.signedUrl.replace(/signature=[^&]+/, `signature=${'A'.repeat(43)}`);
    expectError(await t.http().get(forged), 403, 'DOWNLOAD_LINK_INVALID');
    const asThumb = asset.body.signedUrl.replace('/file?', '/thumbnail?');
    expectError(await t.http().get(asThumb), 403, 'DOWNLOAD_LINK_INVALID');
  });

  it('415 for a text file named .png and declared image/png; nothing kept', async () => {
    const other = await signUp(t);
    expectError(
      await upload(other, Buffer.from('just some text, not an image\n'), 'fake.png'),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    expectError(await upload(other, Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff'), 'a.png'), 415);
    expectError(await upload(other, Buffer.alloc(0), 'empty.png'), 400, 'FILE_EMPTY');
    expectError(await t.http().post('/api/studio/upload').set(other.auth).send({}), 400, 'FILE_REQUIRED');
    expect(await studioFiles(t, other.workspaceId)).toEqual([]);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM studio_assets WHERE workspace_id = $1`, [
      other.workspaceId,
    ]);
    expect(count).toBe(0);
  });

  it('lists, gets, updates and deletes, scoped to the workspace', async () => {
    const owner = await signUp(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await upload(owner, png, `p${i}.png`).expect(200)).body.fileId);

    const updated = await t
      .http()
      .patch(`/api/studio/assets/${ids[0]}`)
      .set(owner.auth)
      .send({ title: '  Logo  ', tags: ['brand', 'brand', 'logo'], folder: 'brand/2026' })
      .expect(200);
    expect(updated.body).toMatchObject({
      id: ids[0],
      title: 'Logo',
      tags: ['brand', 'logo'],
      folder: 'brand/2026',
      originalName: 'p0.png',
      kind: 'image',
      mimeType: 'image/png',
      size: png.length,
      source: 'upload',
    });
    expectError(
      await t.http().patch(`/api/studio/assets/${ids[0]}`).set(owner.auth).send({ title: '' }),
      400,
      'VALIDATION_FAILED',
    );

    const first = await t.http().get('/api/studio/assets?limit=2').set(owner.auth).expect(200);
    expect(first.body.data.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.pagination).toMatchObject({ total: 3, pages: 2, nextCursor: expect.any(String) });
    const second = await t
      .http()
      .get(`/api/studio/assets?limit=2&cursor=${first.body.pagination.nextCursor}`)
      .set(owner.auth)
      .expect(200);
    expect(second.body.data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    const tagged = await t.http().get('/api/studio/assets?tag=logo&folder=brand/2026').set(owner.auth).expect(200);
    expect(tagged.body.data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    const searched = await t.http().get('/api/studio/assets?q=p1').set(owner.auth).expect(200);
    expect(searched.body.data.map((a: { id: string }) => a.id)).toEqual([ids[1]]);

    await t.http().get(`/api/studio/assets/${ids[1]}`).set(owner.auth).expect(200);
    await t.http().delete(`/api/studio/assets/${ids[1]}`).set(owner.auth).expect(204);
    expectError(await t.http().get(`/api/studio/assets/${ids[1]}`).set(owner.auth), 404, 'ASSET_NOT_FOUND');
    expect(await studioFiles(t, owner.workspaceId)).toEqual(thumbs([ids[0], ids[2]]));

    // Another workspace sees none of it.
    const stranger = await signUp(t);
    expectError(await t.http().get(`/api/studio/assets/${ids[0]}`).set(stranger.auth), 404, 'ASSET_NOT_FOUND');
    expectError(await t.http().get(`/api/studio/assets/${ids[0]}/download`).set(stranger.auth), 404);
    expectError(await t.http().patch(`/api/studio/assets/${ids[0]}`).set(stranger.auth).send({ title: 'x' }), 404);
    expectError(await t.http().delete(`/api/studio/assets/${ids[0]}`).set(stranger.auth), 404);
    expect((await t.http().get('/api/studio/assets').set(stranger.auth).expect(200)).body.data).toEqual([]);
    await t.http().get(`/api/studio/assets/${ids[0]}`).set(owner.auth).expect(200);
  });

  it('reads a video’s duration, size and codecs with ffprobe and keeps a poster frame; seeks with Range', async () => {
    const video = await testVideo({ seconds: 2, width: 320, height: 240 });
    const { fileId, url } = (await upload(user, video, 'clip.mp4', 'video/mp4').expect(200)).body;
    const asset = (await t.http().get(`/api/studio/assets/${fileId}`).set(user.auth).expect(200)).body;
    expect(asset).toMatchObject({ kind: 'video', mimeType: 'video/mp4', width: 320, height: 240, size: video.length });
    expect(asset.durationSeconds).toBeGreaterThan(1.9);
    expect(asset.durationSeconds).toBeLessThan(2.2);
    expect(asset.metadata.streams).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'video', codec: 'h264', width: 320, height: 240 }),
        expect.objectContaining({ type: 'audio', codec: 'aac' }),
      ]),
    );
    const poster = await t.http().get(asset.thumbnailUrl).set(user.auth).buffer(true).parse(binary).expect(200);
    expect(poster.headers['content-type']).toBe('image/jpeg');
    expect((poster.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    // Range: a middle slice, an open end, a suffix, and one past the end.
    const ranged = async (range: string) =>
      t.http().get(url).set(user.auth).set('Range', range).buffer(true).parse(binary);
    const middle = await ranged('bytes=100-1099');
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 100-1099/${video.length}`);
    expect(middle.headers['content-length']).toBe('1000');
    expect(Buffer.compare(middle.body as Buffer, video.subarray(100, 1100))).toBe(0);
    const tail = await ranged(`bytes=${video.length - 10}-`);
    expect(tail.status).toBe(206);
    expect(Buffer.compare(tail.body as Buffer, video.subarray(video.length - 10))).toBe(0);
    const suffix = await ranged('bytes=-5');
    expect(suffix.headers['content-range']).toBe(`bytes ${video.length - 5}-${video.length - 1}/${video.length}`);
    expectError(
      await t.http().get(url).set(user.auth).set('Range', `bytes=${video.length}-`),
      416,
      'RANGE_NOT_SATISFIABLE',
    );
    const whole = await ranged('bytes=0-1,5-9'); // several ranges: the whole file
    expect(whole.status).toBe(200);
    expect((whole.body as Buffer).length).toBe(video.length);
  });

  it('strips the GPS location of a photo (camera fields kept) unless keepLocation=true', async () => {
    const photo = await gpsJpeg();
    const stripped = (await upload(user, photo, 'trip.jpg', 'image/jpeg').expect(200)).body;
    const asset = (await t.http().get(`/api/studio/assets/${stripped.fileId}`).set(user.auth).expect(200)).body;
    expect(asset).toMatchObject({ width: 64, height: 32, kind: 'image', mimeType: 'image/jpeg' });
    expect(asset.metadata).toMatchObject({
      format: 'jpeg',
      location: 'removed',
      exif: { make: 'Acme', model: 'Cam 1' },
    });
    const file = await t.http().get(stripped.url).set(user.auth).buffer(true).parse(binary).expect(200);
    const sharp = (await import('sharp')).default;
    const { readExifOf } = await import('../helpers/studio-media');
    expect(await readExifOf(file.body as Buffer)).toMatchObject({ hasGps: false, make: 'Acme' });
    expect(asset.size).toBe((file.body as Buffer).length);
    expect((await sharp(file.body as Buffer).metadata()).width).toBe(64);

    const kept = await t
      .http()
      .post('/api/studio/upload')
      .set(user.auth)
      .field('keepLocation', 'true')
      .attach('file', photo, { filename: 'trip.jpg', contentType: 'image/jpeg' })
      .expect(200);
    const keptFile = await t.http().get(kept.body.url).set(user.auth).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(keptFile.body as Buffer, photo)).toBe(0);
  });

  it('401 without credentials, 403 for a viewer writing, 200 for a viewer reading', async () => {
    const owner = await signUp(t);
    const { fileId } = (await upload(owner, png, 'a.png').expect(200)).body;
    expectError(await t.http().post('/api/studio/upload').attach('file', png, 'a.png'), 401);
    expectError(await t.http().get('/api/studio/assets'), 401);
    expectError(await t.http().get(`/api/studio/assets/${fileId}/download`), 401);
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await upload(viewer, png, 'b.png'), 403);
    expectError(await t.http().patch(`/api/studio/assets/${fileId}`).set(viewer.auth).send({ title: 'x' }), 403);
    expectError(await t.http().delete(`/api/studio/assets/${fileId}`).set(viewer.auth), 403);
    await t.http().get(`/api/studio/assets/${fileId}`).set(viewer.auth).expect(200);
  });
});

describe.each<StudioDriver>(['local', 's3'])('studio upload limits (%s storage)', (driver) => {
  let t: TestApp;
  let user: TestUser;
  let storage: StudioStorage;
  const studioFiles = (_t: TestApp, workspaceId: string) => storage.keys(t, workspaceId);
  beforeAll(async () => {
    storage = await useStudioStorage(driver);
    process.env.STUDIO_UPLOAD_MAX_BYTES = '1024';
    process.env.STUDIO_STORAGE_QUOTA_MB = '1';
    t = await createTestApp();
    delete process.env.STUDIO_UPLOAD_MAX_BYTES;
    delete process.env.STUDIO_STORAGE_QUOTA_MB;
    user = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await storage.close();
  });

  it('400 FILE_TOO_LARGE one byte past the limit, nothing kept; the limit itself passes', async () => {
    const head = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const sized = (n: number) => Buffer.concat([head, Buffer.alloc(n - head.length, 7)]);
    expectError(
      await t.http().post('/api/studio/upload').set(user.auth).attach('file', sized(1025), 'big.png'),
      400,
      'FILE_TOO_LARGE',
    );
    expect(await studioFiles(t, user.workspaceId)).toEqual([]);
    const ok = await t.http().post('/api/studio/upload').set(user.auth).attach('file', sized(1024), 'edge.png');
    expect(ok.status).toBe(200);
    expect(ok.body.size).toBe(1024);
  });

  it('413 STORAGE_QUOTA_EXCEEDED past the workspace’s storage quota, nothing kept; usage reported', async () => {
    const owner = await signUp(t);
    const text = (chars: number) => ({ title: 'Notes', content: 'x'.repeat(chars) });
    for (let i = 0; i < 10; i++) {
      await t
        .http()
        .post('/api/content/library')
        .set(owner.auth)
        .send(text(97 * 1024))
        .expect(201);
    }
    // 500 bytes left of the MB.
    await t
      .http()
      .post('/api/content/library')
      .set(owner.auth)
      .send(text(1024 * 1024 - 500 - 970 * 1024))
      .expect(201);
    const usage = await t.http().get('/api/studio/storage').set(owner.auth).expect(200);
    expect(usage.body).toEqual({ used: 1024 * 1024 - 500, total: 1024 * 1024 });
    expectError(
      await t.http().post('/api/content/library').set(owner.auth).send(text(501)),
      413,
      'STORAGE_QUOTA_EXCEEDED',
    );
    const before = await studioFiles(t, owner.workspaceId);
    // An upload that crosses the line mid-stream is refused and removed.
    const big = Buffer.concat([tinyPng().subarray(0, 16), Buffer.alloc(1000, 1)]);
    expectError(
      await t.http().post('/api/studio/upload').set(owner.auth).attach('file', big, 'big.png'),
      413,
      'STORAGE_QUOTA_EXCEEDED',
    );
    expect(await studioFiles(t, owner.workspaceId)).toEqual(before);
    await t.http().post('/api/content/library').set(owner.auth).send(text(500)).expect(201);
  });
});
