import { readdir } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { FileStore } from '@crescendo/platform';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

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

const studioFiles = async (t: TestApp, workspaceId: string) =>
  readdir(t.app.get(FileStore).path(`studio/${workspaceId}`)).catch(() => [] as string[]);

describe('studio assets', () => {
  let t: TestApp;
  let user: TestUser;
  const png = tinyPng();

  const upload = (who: TestUser, data: Buffer, name: string, contentType = 'image/png') =>
    t.http().post('/api/studio/upload').set(who.auth).attach('file', data, { filename: name, contentType });

  beforeAll(async () => {
    t = await createTestApp();
    user = await signUp(t);
  }, 60_000);
  afterAll(() => t.close());

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
    expect(Buffer.compare(file.body as Buffer, png)).toBe(0);
    expect(await studioFiles(t, user.workspaceId)).toEqual([res.body.fileId]);
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
    expect((await studioFiles(t, owner.workspaceId)).sort()).toEqual([ids[0], ids[2]].sort());

    // Another workspace sees none of it.
    const stranger = await signUp(t);
    expectError(await t.http().get(`/api/studio/assets/${ids[0]}`).set(stranger.auth), 404, 'ASSET_NOT_FOUND');
    expectError(await t.http().get(`/api/studio/assets/${ids[0]}/download`).set(stranger.auth), 404);
    expectError(await t.http().patch(`/api/studio/assets/${ids[0]}`).set(stranger.auth).send({ title: 'x' }), 404);
    expectError(await t.http().delete(`/api/studio/assets/${ids[0]}`).set(stranger.auth), 404);
    expect((await t.http().get('/api/studio/assets').set(stranger.auth).expect(200)).body.data).toEqual([]);
    await t.http().get(`/api/studio/assets/${ids[0]}`).set(owner.auth).expect(200);
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

describe('studio upload above STUDIO_UPLOAD_MAX_BYTES', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    process.env.STUDIO_UPLOAD_MAX_BYTES = '1024';
    t = await createTestApp();
    delete process.env.STUDIO_UPLOAD_MAX_BYTES;
    user = await signUp(t);
  }, 60_000);
  afterAll(() => t.close());

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
});
