import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ffprobePath } from './ffmpeg-binaries';

const run = promisify(execFile);

export interface ProbedStream {
  type: 'video' | 'audio' | 'subtitle' | 'data';
  codec: string;
  width?: number;
  height?: number;
}

export interface ProbedMedia {
  /** Seconds; null for a still image. */
  duration: number | null;
  formatName: string;
  streams: ProbedStream[];
  hasVideo: boolean;
  hasAudio: boolean;
}

interface FfprobeJson {
  format?: { duration?: string; format_name?: string };
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    duration?: string;
    disposition?: { attached_pic?: number };
  }>;
}

/** What ffprobe reads from a local file; rejects when it cannot read it as media. */
export async function probeMedia(path: string): Promise<ProbedMedia> {
  const { stdout } = await run(
    ffprobePath(),
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
    { maxBuffer: 4 * 1024 * 1024, timeout: 30_000 },
  );
  const json = JSON.parse(stdout) as FfprobeJson;
  const streams: ProbedStream[] = (json.streams ?? [])
    // Cover art in an audio file is a "video" stream ffmpeg would otherwise treat as a picture track.
    .filter((s) => !s.disposition?.attached_pic)
    .map((s) => ({
      type: (['video', 'audio', 'subtitle'].includes(s.codec_type ?? '')
        ? s.codec_type
        : 'data') as ProbedStream['type'],
      codec: s.codec_name ?? 'unknown',
      ...(s.width ? { width: s.width, height: s.height } : {}),
    }));
  const formatName = json.format?.format_name ?? 'unknown';
  const still = /image2|_pipe$|png|gif|webp/.test(formatName) && !streams.some((s) => s.type === 'audio');
  const seconds = Number(json.format?.duration);
  return {
    duration: still || !Number.isFinite(seconds) ? null : seconds,
    formatName,
    streams,
    hasVideo: streams.some((s) => s.type === 'video'),
    hasAudio: streams.some((s) => s.type === 'audio'),
  };
}
