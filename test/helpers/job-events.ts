import type { TestApp, TestUser } from './test-app';
import { waitFor } from './wait-for';

export interface JobEvent {
  event: string;
  data: Record<string, any>;
}

/** Follows GET /api/jobs/:id/events to its end (the job finished) and parses the SSE blocks. */
export async function readJobEvents(
  t: TestApp,
  jobId: string,
  auth: Record<string, string>,
): Promise<{ status: number; contentType: string; events: JobEvent[] }> {
  const res = await t
    .http()
    .get(`/api/jobs/${jobId}/events`)
    .set(auth)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => done(null, text));
    });
  const events = String(res.body)
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message',
      data: JSON.parse(/^data: (.*)$/m.exec(block)![1]),
    }));
  return { status: res.status, contentType: String(res.headers['content-type']), events };
}

/**
 * Waits for a tracked job to end, reading the jobs table (polling the route would spend the caller's rate
 * limit), then answers GET /api/jobs/:id as `who` sees it.
 */
export async function finishedJob(t: TestApp, who: TestUser, jobId: string, timeoutMs = 30_000) {
  await waitFor(
    `job ${jobId}`,
    async () => {
      const [row] = await t.db.query(`SELECT status FROM jobs WHERE id = $1`, [jobId]);
      return ['COMPLETED', 'FAILED'].includes(row?.status) ? row : undefined;
    },
    timeoutMs,
  );
  return (await t.http().get(`/api/jobs/${jobId}`).set(who.auth).expect(200)).body;
}

/** How many tracked jobs a workspace has (nothing queued: 0). */
export async function jobCount(t: TestApp, workspaceId: string): Promise<number> {
  return Number((await t.db.query(`SELECT count(*) AS n FROM jobs WHERE workspace_id = $1`, [workspaceId]))[0].n);
}
