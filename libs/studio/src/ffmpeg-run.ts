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
}

/**
 * Runs ffmpeg to its end. Progress is read from stdout (`-progress pipe:1` in the arguments); should this
 * process die, ffmpeg's next progress write hits a closed pipe and ffmpeg dies too (SIGPIPE) rather than
 * running on as an orphan.
 */
export function runFfmpeg(args: string[], options: FfmpegRunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason as Error);
    const child = spawn(ffmpegPath(), args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const abort = () => child.kill('SIGKILL');
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
