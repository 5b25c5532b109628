import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;
let gc: Gc | null = null;

/**
 * A scavenge (young-generation collection, about a millisecond) now. A relay of hundreds of megabytes (a
 * personal-data export read with COPY) allocates little JS but a Buffer per socket read and per write: V8 starts
 * a scavenge when the young generation fills with JS objects and a full collection when Buffers' external memory
 * has grown about 64 MB, so without help that much dead Buffer memory waits in the process. Relays call this every
 * few megabytes; V8's own gc function is reached through a new context once (`--expose-gc` at run time).
 */
export function collectYoungGarbage(): void {
  if (!gc) {
    const exposed = (globalThis as { gc?: Gc }).gc;
    if (exposed) gc = exposed;
    else {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as Gc;
    }
  }
  gc({ type: 'minor' });
}

/**
 * For a relay: counts the bytes it passes on and asks for a scavenge every `bytes` of them (see
 * collectYoungGarbage), so that dead read and write Buffers go at that pace rather than 64 MB at a time.
 */
export function scavengeEvery(bytes: number): (relayed: number) => void {
  let since = 0;
  return (relayed) => {
    since += relayed;
    if (since < bytes) return;
    since = 0;
    collectYoungGarbage();
  };
}
