/** A parsed Server-Sent Event of the chat streams. */
export interface SseEvent {
  id: number;
  event: string;
  data: Record<string, any>;
}

/** Parses complete SSE blocks out of `buffer`; returns the events and the unparsed rest. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const at = line.indexOf(': ');
      if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
    }
    if (fields.event) events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
  }
  return { events, rest };
}

/**
 * Reads an SSE answer with fetch, event by event. `until` stops early (the connection is then dropped,
 * as a client that goes away), else it reads to the end.
 */
export async function readSse(
  url: string,
  init: RequestInit,
  until?: (events: SseEvent[]) => boolean,
  onEvent?: (event: SseEvent) => void,
): Promise<{ status: number; events: SseEvent[]; headers: Headers; body?: any }> {
  const controller = new AbortController();
  const res = await fetch(url, { ...init, signal: controller.signal });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, events: [], headers: res.headers, body: await res.json() };
  }
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const parsed = parseSse(buffer);
    buffer = parsed.rest;
    events.push(...parsed.events);
    if (onEvent) parsed.events.forEach(onEvent);
    if (until?.(events)) {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return { status: res.status, events, headers: res.headers };
}

/** Polls `probe` every 20 ms until it is true. */
export async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
