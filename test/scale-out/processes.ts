import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
// TypeScript compiled on require by swc (as jest does): no build needed, and a child boots in seconds.
const NODE_ARGS = [
  '-r',
  join(__dirname, 'exit-with-parent.js'),
  '-r',
  join(ROOT, 'bench/swc-register.js'),
  '-r',
  'tsconfig-paths/register',
];

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** http://127.0.0.1:<port>: the API, or the worker's health endpoint. */
  url: string;
  /** Everything the process printed so far (workers log at info: "Job completed" with the job id). */
  output: () => string;
  stop: () => Promise<void>;
}

/** A free loopback port (the OS picks it; the child binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function start(name: string, entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...(process.env as Record<string, string>), ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let tail = '';
  let all = '';
  const keep = (chunk: Buffer) => {
    all += chunk.toString();
    tail = all.slice(-4000);
  };
  // Read every line: a full pipe would block the child's logger.
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 90 s:\n${tail}`)), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${tail}`));
    });
    const url = `http://127.0.0.1:${env.WORKER_HEALTH_PORT ?? env.PORT}/api/health`;
    const poll = async () => {
      if (child.exitCode !== null) return;
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        clearTimeout(timer);
        return resolve();
      }
      setTimeout(() => void poll(), 200);
    };
    void poll();
  });
  ready.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { child, ready, stop, output: () => all };
}

/** `apps/api/src/main.ts` in its own process on its own loopback port; resolves once /api/health answers 200. */
export async function startApi(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const { child, ready, stop, output } = start(name, 'apps/api/src/main.ts', {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  await ready.catch(async (error) => {
    await stop();
    throw error;
  });
  return { name, child, url: `http://127.0.0.1:${port}`, output, stop };
}

/**
 * `apps/worker/src/main.ts` in its own process, its health endpoint on a loopback port (WORKER_HEALTH_PORT);
 * resolves once that answers 200, i.e. its queue workers take jobs. Logs at info ("Job completed", job id).
 */
export async function startWorker(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const { child, ready, stop, output } = start(name, 'apps/worker/src/main.ts', {
    ...env,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    WORKER_HEALTH_PORT: String(port),
  });
  await ready.catch(async (error) => {
    await stop();
    throw error;
  });
  return { name, child, url: `http://127.0.0.1:${port}`, output, stop };
}

export interface RoundRobinProxy {
  url: string;
  /** The upstream each request went to, in order. */
  routed: string[];
  close: () => Promise<void>;
}

/**
 * A load balancer in a few lines: each request goes to the next upstream in turn, headers untouched
 * (X-Forwarded-For included, as a trusted proxy hop that already set it), answers streamed back.
 */
export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const routed: string[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    const upstream = upstreams[next++ % upstreams.length];
    routed.push(upstream);
    const target = new URL(req.url ?? '/', upstream);
    const forward = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
