import { createTestApp, expectError, signUp, TestApp, TestUser, addMember } from '../helpers/test-app';
import { ChatFakes, replyToNewConversation, startChatFakes } from './chat-fakes';

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * PDF text with pdf-parse v2 (`new PDFParse({ data }).getText()`), in a plain node process: pdfjs loads its
 * worker with a dynamic import, which jest's VM refuses.
 */
async function pdfText(pdf: Buffer): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'chat-pdf-')), 'export.pdf');
  await writeFile(file, pdf);
  const script =
    "const { PDFParse } = require('pdf-parse');" +
    "new PDFParse({ data: require('fs').readFileSync(process.argv[1]) }).getText()" +
    '.then((r) => process.stdout.write(r.text));';
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, file], { cwd: process.cwd() });
  return stdout;
}

/** Conversations: list with preview, detail, favourite, tags, folders, delete, export, isolation. */
describe('Chat conversations', () => {
  let t: TestApp;
  let fakes: ChatFakes;
  let owner: TestUser;
  let stranger: TestUser;
  const previous = process.env.AI_PROVIDERS;

  beforeAll(async () => {
    fakes = await startChatFakes();
    t = await createTestApp();
    owner = await signUp(t);
    stranger = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
    await fakes.close();
    process.env.AI_PROVIDERS = previous;
  });
  beforeEach(() => fakes.reset());

  const start = async (user: TestUser, message: string, extra: Record<string, unknown> = {}) => {
    replyToNewConversation(fakes.fast, {
      title: { content: `Titre ${message}` },
      answer: { content: `Réponse à ${message}` },
    });
    const res = await t
      .http()
      .post('/api/chat/send')
      .set(user.auth)
      .send({ message, selected_providers: ['Fast'], ...extra });
    expect(res.status).toBe(200);
    return res.body.conversation_id as string;
  };

  it('lists by folder with preview and count, shows the detail in snake_case, toggles favourite', async () => {
    const user = await signUp(t);
    const general = await start(user, 'Bonjour');
    const work = await start(user, 'Plan', { folder: 'Travail' });
    const list = await t.http().get('/api/chat/conversations').query({ folder: 'Travail' }).set(user.auth);
    expect(list.status).toBe(200);
    expect(list.body.conversations).toHaveLength(1);
    const [summary] = list.body.conversations;
    expect(summary).toEqual({
      id: work,
      title: expect.any(String),
      folder: 'Travail',
      is_favorite: false,
      tags: [],
      preview: expect.stringMatching(/^(Réponse à|Titre) Plan$/),
      message_count: 2,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(list.body.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 1,
      pages: 1,
      total_is_estimate: false,
      next_cursor: null,
      prev_cursor: null,
    });
    const all = await t.http().get('/api/chat/conversations').set(user.auth);
    expect(all.body.conversations.map((c: any) => c.id)).toEqual([work, general]);

    const folders = await t.http().get('/api/chat/folders').set(user.auth);
    expect(folders.body).toEqual({
      folders: [
        { name: 'Général', count: 1 },
        { name: 'Travail', count: 1 },
      ],
    });

    const detail = await t.http().get(`/api/chat/conversations/${general}`).set(user.auth);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: general, folder: 'Général', is_favorite: false, message_count: 2 });
    expect(detail.body.messages.map((m: any) => [m.role, m.ai_provider])).toEqual([
      ['user', null],
      ['assistant', 'Fast'],
    ]);
    expect(detail.body.messages[1]).toMatchObject({ model: 'fake-model', tokens_out: expect.any(Number) });

    const fav = await t.http().post(`/api/chat/conversations/${general}/favorite`).set(user.auth);
    expect(fav.body).toEqual({ is_favorite: true });
    const favorites = await t.http().get('/api/chat/conversations?favorite=true').set(user.auth);
    expect(favorites.body.conversations.map((c: any) => c.id)).toEqual([general]);
    const unfav = await t.http().post(`/api/chat/conversations/${general}/favorite`).set(user.auth);
    expect(unfav.body).toEqual({ is_favorite: false });
  });

  it('adds and removes tags: validated, lower-cased, deduplicated, at most 20', async () => {
    const id = await start(owner, 'Tags');
    const add = (tag: unknown) => t.http().post(`/api/chat/conversations/${id}/tags`).set(owner.auth).send({ tag });
    expect((await add(' Marketing ')).body).toEqual({ tags: ['marketing'] });
    expect((await add('MARKETING')).body).toEqual({ tags: ['marketing'] });
    expect((await add('stratégie')).body).toEqual({ tags: ['marketing', 'stratégie'] });
    expectError(await add(''), 400);
    expectError(await add('<script>'), 400);
    expectError(await add(42), 400);
    const removed = await t.http().delete(`/api/chat/conversations/${id}/tags/Marketing`).set(owner.auth);
    expect(removed.body).toEqual({ tags: ['stratégie'] });
    for (let i = 0; i < 19; i++) expect((await add(`t${i}`)).status).toBe(200);
    expectError(await add('one-more'), 400, 'CONVERSATION_TAGS_LIMIT');
    const byTag = await t.http().get('/api/chat/conversations?tag=t3').set(owner.auth);
    expect(byTag.body.conversations.map((c: any) => c.id)).toEqual([id]);
  });

  it('exports PDF (accents, Greek, Cyrillic), Markdown and text as attachments named after the title', async () => {
    replyToNewConversation(fakes.fast, {
      title: { content: 'Été à Paris' },
      answer: { content: 'Ελληνικά και Русский текст, déjà vu' },
    });
    const send = await t
      .http()
      .post('/api/chat/send')
      .set(owner.auth)
      .send({ message: 'Écris-moi ça en grec et en russe', selected_providers: ['Fast'] });
    const id = send.body.conversation_id;
    const answer = (await t.http().get(`/api/chat/conversations/${id}`).set(owner.auth)).body.messages[1].content;
    const today = new Date().toISOString().slice(0, 10);
    const download = (format: string) =>
      t
        .http()
        .get(`/api/chat/conversations/${id}/export?format=${format}`)
        .set(owner.auth)
        .buffer(true)
        .parse((res, cb) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => cb(null, Buffer.concat(parts)));
        });

    const md = await download('md');
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    const title = send.body.title as string;
    expect(md.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="[a-z0-9-]+-${today}\\.md"$`));
    const mdText = md.body.toString('utf8');
    expect(mdText).toContain(`# ${title}`);
    expect(mdText).toContain('Écris-moi ça en grec et en russe');
    expect(mdText).toContain(answer);

    const txt = await download('txt');
    expect(txt.headers['content-type']).toContain('text/plain');
    expect(txt.headers['content-disposition']).toContain(`-${today}.txt"`);
    expect(txt.body.toString('utf8')).toContain(answer);

    const pdf = await download('pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`-${today}.pdf"`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(pdf.body)).replace(/\s+/g, ' ');
    expect(text).toContain('Écris-moi ça en grec et en russe');
    expect(text).toContain(answer.replace(/\s+/g, ' '));
    // The two replies are the title and the answer (either order): both are in the PDF, glyphs intact.
    expect(text).toContain('Ελληνικά και Русский текст, déjà vu');
    expect(text).toContain('Été à Paris');

    expectError(await t.http().get(`/api/chat/conversations/${id}/export?format=docx`).set(owner.auth), 400);
  });

  it('renames a conversation (trimmed); refuses an empty or too long title', async () => {
    const id = await start(owner, 'Renommer');
    const rename = (title: unknown) => t.http().patch(`/api/chat/conversations/${id}`).set(owner.auth).send({ title });
    const res = await rename('  Plan de lancement été  ');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, title: 'Plan de lancement été', message_count: 2 });
    expect(res.body.messages).toHaveLength(2);
    const list = await t.http().get('/api/chat/conversations').set(owner.auth);
    expect(list.body.conversations.find((c: any) => c.id === id).title).toBe('Plan de lancement été');
    for (const bad of ['', '   ', 'x'.repeat(201), 42, undefined]) {
      const refused = await rename(bad);
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.details.map((d: any) => d.field)).toContain('title');
    }
    const kept = await t.http().get(`/api/chat/conversations/${id}`).set(owner.auth);
    expect(kept.body.title).toBe('Plan de lancement été');
    const missing = '00000000-0000-4000-8000-000000000000';
    expectError(
      await t.http().patch(`/api/chat/conversations/${missing}`).set(owner.auth).send({ title: 'x' }),
      404,
      'CONVERSATION_NOT_FOUND',
    );
    expectError(await t.http().patch('/api/chat/conversations/not-a-uuid').set(owner.auth).send({ title: 'x' }), 400);
    expectError(await t.http().patch(`/api/chat/conversations/${id}`).send({ title: 'x' }), 401);
  });

  it('deletes a conversation with its messages', async () => {
    const id = await start(owner, 'À supprimer');
    const res = await t.http().delete(`/api/chat/conversations/${id}`).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Conversation deleted successfully' });
    const left = await t.db.query(`SELECT count(*)::int AS n FROM chat_messages WHERE conversation_id = $1`, [id]);
    expect(left[0].n).toBe(0);
    expectError(await t.http().get(`/api/chat/conversations/${id}`).set(owner.auth), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('hides a conversation from another workspace and from another member of the same one (404)', async () => {
    const id = await start(owner, 'Privé');
    const colleague = await addMember(t, owner, 'member');
    for (const other of [stranger, colleague]) {
      expectError(await t.http().get(`/api/chat/conversations/${id}`).set(other.auth), 404);
      expectError(await t.http().delete(`/api/chat/conversations/${id}`).set(other.auth), 404);
      expectError(await t.http().post(`/api/chat/conversations/${id}/favorite`).set(other.auth), 404);
      expectError(await t.http().patch(`/api/chat/conversations/${id}`).set(other.auth).send({ title: 'x' }), 404);
      expectError(await t.http().post(`/api/chat/conversations/${id}/tags`).set(other.auth).send({ tag: 'x' }), 404);
      expectError(await t.http().delete(`/api/chat/conversations/${id}/tags/x`).set(other.auth), 404);
      expectError(await t.http().get(`/api/chat/conversations/${id}/export?format=txt`).set(other.auth), 404);
      const list = await t.http().get('/api/chat/conversations').set(other.auth);
      expect(list.body.conversations.map((c: any) => c.id)).not.toContain(id);
    }
    expectError(await t.http().get('/api/chat/conversations/not-a-uuid').set(owner.auth), 400);
    expectError(await t.http().get('/api/chat/conversations?limit=500').set(owner.auth), 400);
    expectError(await t.http().get('/api/chat/conversations'), 401);
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await t.http().get('/api/chat/conversations').set(viewer.auth), 403);
  });
});
