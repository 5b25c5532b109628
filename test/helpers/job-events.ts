import type { TestApp } from './test-app';

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
