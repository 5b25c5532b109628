import { randomUUID } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileStore } from '@crescendo/platform';
import { JobStatus } from '@crescendo/jobs';
// The test writes job rows directly: it reaches the entity inside the feature.
import { JobRecordEntity } from '../../libs/jobs/src/job-record.entity';
import { readJobEvents } from '../helpers/job-events';
import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

describe('jobs: GET /api/jobs/:id, its SSE stream and signed file links', () => {
  let t: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  let files: FileStore;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    stranger = await signUp(t);
    files = t.app.get(FileStore);
  });
  afterAll(() => t.close());

  async function makeJob(patch: Partial<JobRecordEntity> = {}): Promise<string> {
    const id = randomUUID();
    await t.db.getRepository(JobRecordEntity).save({
      id,
      workspaceId: owner.workspaceId,
      userId: owner.id,
      name: 'leads.export',
      ...patch,
    });
    return id;
  }

  it('answers a job of the caller’s workspace with status, progress and signed file links', async () => {
    const id = await makeJob({
      status: JobStatus.Completed,
      progress: 100,
      result: { rows: 2 },
      files: [{ name: 'leads.csv', contentType: 'text/csv', size: 12 }],
      finishedAt: new Date(),
    });
    const path = files.path(FileStore.key('jobs', id, 'leads.csv'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, 'name\nAda\nBob');

    const res = await t.http().get(`/api/jobs/${id}`).set(owner.auth).expect(200);
    expect(res.body).toMatchObject({
      id,
      type: 'leads.export',
      status: 'COMPLETED',
      progress: 100,
      result: { rows: 2 },
      error: null,
      files: [{ name: 'leads.csv', contentType: 'text/csv', size: 12 }],
    });
    const link: string = res.body.files[0].url;
    expect(new Date(res.body.files[0].expiresAt).getTime()).toBeGreaterThan(Date.now());

    // The link works without a token, and only as signed.
    const download = await t.http().get(link).expect(200);
    expect(download.headers['content-type']).toContain('text/csv');
    expect(download.headers['content-disposition']).toBe('attachment; filename="leads.csv"');
    expect(download.text).toBe('name\nAda\nBob');

    const tampered = link.replace(/signature=[^&]+/, `signature=${'A'.repeat(43)}`);
    expectError(await t.http().get(tampered), 403, 'DOWNLOAD_LINK_INVALID');
    const otherFile = link.replace('/files/leads.csv', '/files/other.csv');
    expectError(await t.http().get(otherFile), 403, 'DOWNLOAD_LINK_INVALID');
  });

  it('refuses an expired link with 410', async () => {
    const id = await makeJob({
      status: JobStatus.Completed,
      files: [{ name: 'a.csv', contentType: 'text/csv', size: 1 }],
    });
    const tracker = t.app.get((await import('@crescendo/jobs')).JobTrackerService);
    const expires = Math.floor(Date.now() / 1000) - 10;
    const signature = (tracker as unknown as { sign(i: string, n: string, e: number): string }).sign(
      id,
      'a.csv',
      expires,
    );
    expectError(
      await t.http().get(`/api/jobs/${id}/files/a.csv?expires=${expires}&signature=${signature}`),
      410,
      'DOWNLOAD_LINK_EXPIRED',
    );
    expectError(await t.http().get(`/api/jobs/${id}/files/a.csv?expires=soon&signature=x`), 400, 'VALIDATION_FAILED');
  });

  it('hides another workspace’s job (404), refuses anonymous callers (401) and bad ids (400)', async () => {
    const id = await makeJob();
    expectError(await t.http().get(`/api/jobs/${id}`).set(stranger.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().get(`/api/jobs/${id}/events`).set(stranger.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().get(`/api/jobs/${id}`), 401);
    expectError(await t.http().get('/api/jobs/not-a-uuid').set(owner.auth), 400, 'VALIDATION_FAILED');
  });

  it('streams progress as server-sent events and ends with the final state', async () => {
    const id = await makeJob({ status: JobStatus.Processing, progress: 10, startedAt: new Date() });
    const repo = t.db.getRepository(JobRecordEntity);
    setTimeout(() => void repo.update({ id }, { progress: 60, message: 'halfway' }), 700);
    setTimeout(
      () => void repo.update({ id }, { status: JobStatus.Completed, progress: 100, finishedAt: new Date() }),
      1500,
    );
    const { status, contentType, events } = await readJobEvents(t, id, owner.auth);
    expect(status).toBe(200);
    expect(contentType).toContain('text/event-stream');
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress);
    expect(progress).toEqual([10, 60, 100]);
    expect(events.at(-1)).toMatchObject({ event: 'completed', data: { id, status: 'COMPLETED' } });
  });
});
