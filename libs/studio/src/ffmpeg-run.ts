import { spawn } from 'node:child_process';
import { ffmpegPath } from './ffmpeg-binaries';

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface FfmpegRunOptions {
  cwd: string;
  /** Aborting kills ffmpeg (SIGKILL: its output is thrown away anyway). */
  signal?: AbortSignal;
  /** Seconds of output written so far, from the `out_time_us` lines of `-progress pipe:1`. */
  onProgress?: (seconds: number) => void;
  /** Another ffmpeg than the studio's (tests of the npm fallback). */
  binary?: string;
}

/**
 * ffmpeg under a watchdog shell. ffmpeg ignores SIGPIPE and failed progress writes, so had this process died
 * (kill -9, OOM) it would run on as an orphan: the shell keeps its stdin, a pipe from this process, on fd 3, and
 * a background `read` on it returns at EOF, i.e. when this process is gone, and kills ffmpeg. (A background
 * list's own stdin is /dev/null in a non-interactive shell, hence the explicit fd.)
 */
const WATCHDOG =
  'exec 3<&0; "$0" "$@" </dev/null & f=$!; { read -r _ <&3; kill -9 $f; } 2>/dev/null & w=$!; ' +
  'wait $f; s=$?; kill $w 2>/dev/null; exit $s';

/**
 * Runs ffmpeg to its end, progress read from stdout (`-progress pipe:1` in the arguments). It runs in its own
 * process group, which an abort kills whole.
 */
export function runFfmpeg(args: string[], options: FfmpegRunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason as Error);
    const child = spawn('sh', ['-c', WATCHDOG, options.binary ?? ffmpegPath(), ...args], {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^out_time_us=(\d+)/.exec(line);
        if (match) options.onProgress?.(Number(match[1]) / 1e6);
      }
    });
    const abort = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', abort);
      reject(error);
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      if (options.signal?.aborted) return reject(options.signal.reason as Error);
      if (code === 0) return resolve();
      reject(new FfmpegError(`ffmpeg exited with ${code ?? signal}: ${stderr.trim().split('\n').pop() ?? ''}`, stderr));
    });
  });
}
