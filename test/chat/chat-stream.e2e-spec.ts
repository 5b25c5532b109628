import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { ChatFakes, replyToNewConversation, startChatFakes } from './chat-fakes';
import { readSse, SseEvent, until } from './sse';

/** POST /api/chat/send/stream, resume and abort, over a real socket (the app listens). */
describe('Chat streaming', () => {
  let t: TestApp;
  let fakes: ChatFakes;
  let base: string;
  const previous = { providers: process.env.AI_PROVIDERS, resume: process.env.CHAT_STREAM_RESUME_SECONDS };

  beforeAll(async () => {
    fakes = await startChatFakes();
    process.env.CHAT_STREAM_RESUME_SECONDS = '1';
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await t.close();
    await fakes.close();
    process.env.AI_PROVIDERS = previous.providers;
    process.env.CHAT_STREAM_RESUME_SECONDS = previous.resume;
  });
  beforeEach(() => fakes.reset());

  const post = (
    user: TestUser,
    body: Record<string, unknown>,
    stop?: (events: SseEvent[]) => boolean,
    onEvent?: (event: SseEvent) => void,
  ) =>
    readSse(
      `${base}/api/chat/send/stream`,
      { method: 'POST', headers: { ...user.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) },
      stop,
      onEvent,
    );
  const resume = (user: TestUser, id: string, after: number) =>
    readSse(`${base}/api/chat/streams/${id}?after=${after}`, { headers: user.auth });
  const deltas = (events: SseEvent[], provider: string) =>
    events.filter((e) => e.event === 'delta' && e.data.provider === provider).map((e) => e.data.content);

  it('streams deltas in order per provider, done/error per provider, then the stored message ids', async () => {
    const owner = await signUp(t);
    replyToNewConversation(fakes.fast, {
      title: { content: 'Salutations' },
      answer: { chunks: ['Bon', 'jour ', 'à ', 'vous'] },
    });
    fakes.slow.setDefault({ chunks: ['Un ', 'deux ', 'trois'], chunkDelayMs: 30 });
    const { status, events, headers } = await post(owner, {
      message: 'Salut',
      providers: [{ provider: 'Fast' }, { provider: 'Slow' }, { provider: 'Broken' }],
    });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/event-stream');
    // The stream's own Cache-Control wins over the API default; the API security headers still come along.
    expect(headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({ event: 'stream', data: { stream_id: expect.any(String) } });
    expect(deltas(events, 'Fast')).toEqual(['Bon', 'jour ', 'à ', 'vous']);
    expect(deltas(events, 'Slow')).toEqual(['Un ', 'deux ', 'trois']);
    const done = events.filter((e) => e.event === 'done');
    expect(done.map((e) => e.data.provider).sort()).toEqual(['Fast', 'Slow']);
    expect(events.find((e) => e.event === 'error')?.data).toMatchObject({
      provider: 'Broken',
      code: 'AI_PROVIDER_ERROR',
    });
    const end = events[events.length - 1];
    expect(end).toMatchObject({ event: 'end', data: { failed: 1, aborted: false } });
    expect(end.data.message_ids).toHaveLength(3);
    const rows = await t.db.query(
      `SELECT id, provider, content, error FROM chat_messages WHERE id = ANY($1) ORDER BY provider`,
      [end.data.message_ids],
    );
    expect(rows.map((r: any) => [r.provider, r.content, r.error])).toEqual([
      ['Broken', '', 'AI_PROVIDER_ERROR'],
      ['Fast', 'Bonjour à vous', null],
      ['Slow', 'Un deux trois', null],
    ]);
  });

  it('resumes a dropped stream from an event index: replay, then the live rest, nothing lost or doubled', async () => {
    const owner = await signUp(t);
    const words = Array.from({ length: 12 }, (_, i) => `w${i} `);
    fakes.slow.setDefault({ chunks: words, chunkDelayMs: 60 });
    const dropped = await post(owner, { message: 'Raconte', selected_providers: ['Slow'] }, (events) =>
      events.some((e) => e.event === 'delta' && e.data.content === 'w2 '),
    );
    const streamId = dropped.events[0].data.stream_id;
    const last = dropped.events[dropped.events.length - 1].id;
    const resumed = await resume(owner, streamId, last);
    expect(resumed.status).toBe(200);
    expect(resumed.events[0].id).toBe(last + 1);
    const all = [...dropped.events, ...resumed.events];
    expect(deltas(all, 'Slow')).toEqual(words);
    expect(all[all.length - 1]).toMatchObject({ event: 'end', data: { failed: 0, aborted: false } });
    // Once ended, a replay from the start gives the whole stream again.
    const replay = await resume(owner, streamId, -1);
    expect(replay.events.map((e) => e.event)).toEqual(all.map((e) => e.event));
  });

  it('aborts on DELETE: the fake provider sees its request cancelled', async () => {
    const owner = await signUp(t);
    fakes.slow.setDefault({ chunks: Array.from({ length: 50 }, (_, i) => `x${i} `), chunkDelayMs: 50 });
    let aborting: Promise<{ status: number; body: any }> | undefined;
    let streamId = '';
    const { events } = await post(owner, { message: 'Long', selected_providers: ['Slow'] }, undefined, (event) => {
      if (event.event === 'stream') streamId = event.data.stream_id;
      if (event.event === 'delta' && !aborting)
        aborting = t
          .http()
          .delete(`/api/chat/streams/${streamId}`)
          .set(owner.auth)
          .then((r) => r);
    });
    const res = await aborting!;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stream_id: streamId, aborted: true });
    expect(events.find((e) => e.event === 'error')?.data).toMatchObject({ code: 'AI_REQUEST_ABORTED' });
    expect(events[events.length - 1]).toMatchObject({ event: 'end', data: { aborted: true } });
    expect(deltas(events, 'Slow').length).toBeLessThan(50);
    const slowCall = fakes.slow.requests.find((r) => r.body.stream)!;
    await until(() => slowCall.closedEarly);
    // The partial answer is kept with the error.
    const [row] = await t.db.query(`SELECT content, error FROM chat_messages WHERE id = $1`, [
      events.find((e) => e.event === 'error')!.data.message_id,
    ]);
    expect(row.error).toBe('AI_REQUEST_ABORTED');
    expect(row.content).toMatch(/^x0 /);
    // Already ended: nothing to abort.
    const again = await t.http().delete(`/api/chat/streams/${streamId}`).set(owner.auth);
    expect(again.body.aborted).toBe(false);
  });

  it('aborts the provider call when the client leaves and does not resume in time', async () => {
    const owner = await signUp(t);
    fakes.slow.setDefault({ chunks: Array.from({ length: 100 }, (_, i) => `y${i} `), chunkDelayMs: 50 });
    const dropped = await post(owner, { message: 'Bye', selected_providers: ['Slow'] }, (events) =>
      events.some((e) => e.event === 'delta'),
    );
    const slowCall = () => fakes.slow.requests.find((r) => r.body.stream)!;
    await until(() => slowCall().closedEarly, 4000);
    const replay = await resume(owner, dropped.events[0].data.stream_id, -1);
    expect(replay.events[replay.events.length - 1]).toMatchObject({ event: 'end', data: { aborted: true } });
  });

  it('answers JSON errors before streaming (400) and 404 for another user’s stream', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const bad = await post(owner, { message: 'x', providers: [{ provider: 'Nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('AI_PROVIDER_UNKNOWN');
    const { events } = await post(owner, { message: 'Court', selected_providers: ['Fast'] });
    const streamId = events[0].data.stream_id;
    expectError(await t.http().get(`/api/chat/streams/${streamId}`).set(stranger.auth), 404, 'CHAT_STREAM_NOT_FOUND');
    expectError(await t.http().delete(`/api/chat/streams/${streamId}`).set(stranger.auth), 404);
    expectError(await t.http().get(`/api/chat/streams/not-a-uuid`).set(owner.auth), 400);
    expectError(await t.http().get(`/api/chat/streams/${streamId}?after=-5`).set(owner.auth), 400);
  });
});
