import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { ffmpegPath, ffprobePath } from './ffmpeg-binaries';

const run = promisify(execFile);

interface FfprobeJson {
  format?: { format_name?: string; duration?: string; bit_rate?: string };
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    sample_rate?: string;
    channels?: number;
    avg_frame_rate?: string;
    duration?: string;
    disposition?: { attached_pic?: number };
  }>;
}

/** ffprobe's JSON for a path or URL; rejects when it cannot read it as media. */
async function ffprobe(source: string): Promise<FfprobeJson> {
  const { stdout } = await run(
    ffprobePath(),
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', source],
    { maxBuffer: 4 * 1024 * 1024, timeout: 30_000 },
  );
  return JSON.parse(stdout) as FfprobeJson;
}

export interface ProbedStream {
  type: 'video' | 'audio' | 'subtitle' | 'data';
  codec: string;
  width?: number;
  height?: number;
}

/** A composition input, as the composition needs it. */
export interface ProbedMedia {
  /** Seconds; null for a still image. */
  duration: number | null;
  formatName: string;
  streams: ProbedStream[];
  hasVideo: boolean;
  hasAudio: boolean;
}

/** What ffprobe reads from a local file (a composition input); rejects when it cannot read it as media. */
export async function probeMedia(path: string): Promise<ProbedMedia> {
  const json = await ffprobe(path);
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

/** An uploaded asset's audio/video metadata (kept on the asset). */
export interface AssetProbe {
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  format: string | null;
  bitRate: number | null;
  streams: Array<{
    type: string;
    codec: string;
    width?: number;
    height?: number;
    sampleRate?: number;
    channels?: number;
    fps?: number;
  }>;
}

const num = (value: string | undefined) => {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) ? n : null;
};

function fps(rate: string | undefined): number | undefined {
  const [a, b] = (rate ?? '').split('/').map(Number);
  return a > 0 && b > 0 ? Math.round((a / b) * 100) / 100 : undefined;
}

/** ffprobe of an asset's path or URL (AssetStorage.probeSource); null when it cannot read it as media. */
export async function probeAsset(source: string): Promise<AssetProbe | null> {
  let out: FfprobeJson;
  try {
    out = await ffprobe(source);
  } catch {
    return null;
  }
  const streams = (out.streams ?? []).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const duration = num(out.format?.duration) ?? Math.max(0, ...streams.map((s) => num(s.duration) ?? 0)) ?? null;
  return {
    durationSeconds: duration ? Math.round(duration * 1000) / 1000 : null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    format: out.format?.format_name ?? null,
    bitRate: num(out.format?.bit_rate),
    streams: streams.map((s) => ({
      type: s.codec_type!,
      codec: s.codec_name ?? 'unknown',
      ...(s.width ? { width: s.width, height: s.height } : {}),
      ...(s.sample_rate ? { sampleRate: Number(s.sample_rate), channels: s.channels } : {}),
      ...(s.codec_type === 'video' ? { fps: fps(s.avg_frame_rate) } : {}),
    })),
  };
}
/** A JPEG frame of a video (its poster), at most 320 px wide, from `at` seconds in. */
export function videoPoster(source: string, at: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const child = spawn(
      ffmpegPath(),
      [
        ...['-v', 'error', '-ss', at.toFixed(3), '-i', source, '-frames:v', '1'],
        ...['-vf', "scale='min(320,iw)':-2", '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 && chunks.length ? Buffer.concat(chunks) : null);
    });
  });
}
