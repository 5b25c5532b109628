import { AbortedWhileQueuedError, Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('grants up to capacity at once and queues the rest in order', async () => {
    const s = new Semaphore(2);
    const a = await s.acquire();
    const b = await s.acquire();
    const order: string[] = [];
    const c = s.acquire().then((r) => (order.push('c'), r));
    const d = s.acquire().then((r) => (order.push('d'), r));
    await Promise.resolve();
    expect([s.inUse, s.queued, order]).toEqual([2, 2, []]);
    a();
    const releaseC = await c;
    expect(order).toEqual(['c']);
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
    expect([s.inUse, s.queued]).toEqual([2, 0]);
    releaseC();
    expect(s.inUse).toBe(1);
  });

  it('ignores a second release of the same slot', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    release();
    release();
    expect(s.inUse).toBe(0);
    await s.acquire();
    expect(s.inUse).toBe(1);
  });

  it('drops a waiter whose signal aborts, without taking a slot', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const controller = new AbortController();
    const waiting = s.acquire(controller.signal);
    const next = s.acquire();
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedWhileQueuedError);
    expect(s.queued).toBe(1);
    release();
    await next;
    expect(s.inUse).toBe(1);
  });

  it('refuses at once when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new Semaphore(1).acquire(controller.signal)).rejects.toBeInstanceOf(AbortedWhileQueuedError);
  });
});
