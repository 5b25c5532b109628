/** Thrown by Semaphore.acquire when the caller's signal fires while it waits. */
export class AbortedWhileQueuedError extends Error {
  constructor() {
    super('Aborted while waiting for a free slot');
  }
}

/**
 * A counting semaphore with a FIFO queue: at most `capacity` holders at once, the rest wait in order.
 * A waiter whose AbortSignal fires leaves the queue without taking a slot.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: { grant: () => void; reject: (e: Error) => void }[] = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; call it exactly once (extra calls are ignored). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AbortedWhileQueuedError());
    if (this.active < this.capacity) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        reject,
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new AbortedWhileQueuedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next.grant();
      else this.active--;
    };
  }
}
