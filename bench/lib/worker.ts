// The compiled worker (dist/, started exactly as `npm run start:worker` starts it, node flags included) in a
// child process, for benchmarks that measure the process that really runs a job: RSS read from /proc.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CompiledWorker {
  pid: number;
  /** The command it was started with. */
  command: string;
  /** Resident set size now (VmRSS) and the kernel's peak since start (VmHWM), in bytes. */
  memory(): Promise<{ rss: number; hwm: number }>;
  /** SIGTERM (the worker finishes its jobs and closes its pools), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `npm run start:worker`'s command with `env` (LOG_LEVEL forced to info: its "Worker started" line
 * is the ready signal) and resolves once the worker takes jobs. `extraNodeFlags` go after the script's own
 * flags, so they win (BENCH_WORKER_NODE_FLAGS, e.g. "--max-semi-space-size=16" to compare a setting).
 * Needs a build: `npm run build:server`.
 */
export async function startCompiledWorker(
  env: Record<string, string>,
  extraNodeFlags = process.env.BENCH_WORKER_NODE_FLAGS ?? '',
): Promise<CompiledWorker> {
  if (!existsSync(join(ROOT, 'dist/apps/worker/src/main.js'))) {
    throw new Error('dist/apps/worker is missing: run `npm run build:server` first');
  }
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts['start:worker'];
  const words = script.split(' ');
  if (words[0] !== 'node') throw new Error(`start:worker does not start with "node ": ${script}`);
  // Just before the entry file, after the script's own flags: for V8, the last occurrence of a flag wins.
  const command = [...words.slice(0, -1), ...(extraNodeFlags ? [extraNodeFlags] : []), words.at(-1)].join(' ');
  // exec: the shell becomes node, so the child's pid is the worker's.
  const child = spawn('sh', ['-c', `exec ${command}`], {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within 60 s:\n${tail}`)), 60_000);
    const onExit = (code: number | null) => reject(new Error(`the worker exited with ${code}:\n${tail}`));
    child.once('exit', onExit);
    // Read every line, ready or not: a full pipe would block the worker's logger.
    child.stdout!.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('"msg":"Worker started"')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
  const pid = child.pid!;
  return {
    pid,
    command,
    async memory() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
