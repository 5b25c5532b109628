import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

describe('content library and content-creation assets over the studio store', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    user = await signUp(t);
  }, 60_000);
  afterAll(() => t.close());

  it('POST /api/content/library stores a text piece; the library lists it with uploads; it downloads as text', async () => {
    const text = await t
      .http()
      .post('/api/content/library')
      .set(user.auth)
      .send({ title: 'Spring captions', content: 'Hello spring ☀', tags: ['spring'], folder: 'captions' })
      .expect(201);
    expect(text.body).toMatchObject({
      title: 'Spring captions',
      kind: 'text',
      mimeType: 'text/plain',
      size: Buffer.byteLength('Hello spring ☀'),
      tags: ['spring'],
      folder: 'captions',
      source: 'text',
    });
    const uploaded = await t
      .http()
      .post('/api/content-creation/upload')
      .set(user.auth)
      .attach('file', PNG_HEAD, 'head.png')
      .expect(200);
    expect(uploaded.body).toMatchObject({ mimeType: 'image/png', size: PNG_HEAD.length });
    const viaCreation = await t
      .http()
      .post('/api/content-creation/assets')
      .set(user.auth)
      .send({ title: 'Script', content: 'Line one' })
      .expect(201);

    const library = await t.http().get('/api/content/library').set(user.auth).expect(200);
    expect(library.body.data.map((a: { id: string }) => a.id)).toEqual([
      viaCreation.body.id,
      uploaded.body.fileId,
      text.body.id,
    ]);
    const texts = await t.http().get('/api/content-creation/assets?kind=text').set(user.auth).expect(200);
    expect(texts.body.data.map((a: { id: string }) => a.id)).toEqual([viaCreation.body.id, text.body.id]);

    const download = await t.http().get(text.body.url).set(user.auth).expect(200);
    expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(download.text).toBe('Hello spring ☀');

    const stranger = await signUp(t);
    expect((await t.http().get('/api/content/library').set(stranger.auth).expect(200)).body.data).toEqual([]);
    expectError(await t.http().get(`/api/studio/assets/${text.body.id}`).set(stranger.auth), 404);
  });

  it('400 for an invalid text piece, 415 for a disguised upload, 401 without credentials', async () => {
    expectError(
      await t.http().post('/api/content/library').set(user.auth).send({ title: '', content: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.http().post('/api/content-creation/assets').set(user.auth).send({ title: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t
        .http()
        .post('/api/content-creation/upload')
        .set(user.auth)
        .attach('file', Buffer.from('plain text pretending'), { filename: 'x.png', contentType: 'image/png' }),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    expectError(await t.http().get('/api/content/library'), 401);
    expectError(await t.http().post('/api/content-creation/assets').send({ title: 'x', content: 'y' }), 401);
  });
});
