import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ffmpegPath } from './ffmpeg-binaries';

/** xfade transitions offered (ffmpeg's names), plus `cut`. */
export const TRANSITIONS = [
  'cut',
  'fade',
  'fadeblack',
  'fadewhite',
  'dissolve',
  'wipeleft',
  'wiperight',
  'wipeup',
  'wipedown',
  'slideleft',
  'slideright',
  'circleopen',
  'circleclose',
  'pixelize',
] as const;
export type Transition = (typeof TRANSITIONS)[number];

export interface SubtitleCue {
  start: number;
  end: number;
  text: string;
}

/** A validated timeline, as queued: every input is a storage key of the workspace's own assets. */
export interface CompositionPlan {
  clips: Array<{ storageKey: string; still: boolean; start: number; duration: number; hasAudio: boolean }>;
  /** One per boundary (clips − 1). */
  transitions: Array<{ type: Transition; duration: number }>;
  music: { storageKey: string; volume: number; fadeIn: number; fadeOut: number } | null;
  voiceOver: { storageKey: string; volume: number; start: number } | null;
  subtitles: { cues: SubtitleCue[]; mode: 'burn' | 'track' } | null;
  width: number;
  height: number;
  fps: number;
  format: 'mp4' | 'webm';
  title: string;
}

/** Local paths of the plan's inputs (ffmpeg runs with the job's work directory as its cwd). */
export interface CompositionInputs {
  clips: string[];
  music: string | null;
  voiceOver: string | null;
  /** The SRT file written from the cues, relative to the cwd (no escaping needed in the filter). */
  subtitles: string | null;
}

export const outputFileName = (plan: Pick<CompositionPlan, 'format'>) => `output.${plan.format}`;

/** Seconds of the finished video: the clips, minus the overlap of each transition. */
export function outputDuration(plan: Pick<CompositionPlan, 'clips' | 'transitions'>): number {
  const clips = plan.clips.reduce((sum, c) => sum + c.duration, 0);
  return clips - plan.transitions.reduce((sum, t) => sum + (t.type === 'cut' ? 0 : t.duration), 0);
}

const n = (value: number) => Number(value.toFixed(3)).toString();

/** SRT text of the cues (times as HH:MM:SS,mmm). */
export function toSrt(cues: SubtitleCue[]): string {
  const time = (seconds: number) => {
    const ms = Math.round(seconds * 1000);
    const pad = (v: number, w = 2) => String(v).padStart(w, '0');
    return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
  };
  return cues
    .map((cue, i) => `${i + 1}\n${time(cue.start)} --> ${time(cue.end)}\n${cue.text.replace(/\r?\n\s*\n/g, '\n')}\n`)
    .join('\n');
}

/**
 * The ffmpeg arguments of a composition: each clip trimmed, scaled and padded to the output size at the output
 * rate, joined by xfade (audio by acrossfade) or a cut, the music looped, faded and mixed under the clips' sound,
 * subtitles burned in (libass) or muxed as a track, and progress written to stdout (`-progress pipe:1`).
 */
export function compositionArgs(plan: CompositionPlan, inputs: CompositionInputs, output: string): string[] {
  const { width: w, height: h, fps } = plan;
  const total = outputDuration(plan);
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats'];
  const filters: string[] = [];
  plan.clips.forEach((clip, i) => {
    if (clip.still) args.push('-loop', '1', '-framerate', String(fps), '-t', n(clip.duration), '-i', inputs.clips[i]);
    else args.push('-ss', n(clip.start), '-t', n(clip.duration), '-i', inputs.clips[i]);
    filters.push(
      `[${i}:v]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,` +
        `setsar=1,fps=${fps},format=yuv420p,setpts=PTS-STARTPTS[v${i}]`,
      clip.hasAudio
        ? `[${i}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=end=${n(clip.duration)},asetpts=PTS-STARTPTS[a${i}]`
        : `anullsrc=r=48000:cl=stereo,atrim=end=${n(clip.duration)},aformat=sample_fmts=fltp[a${i}]`,
    );
  });
  let video = 'v0';
  let audio = 'a0';
  let length = plan.clips[0].duration;
  plan.transitions.forEach((transition, k) => {
    const i = k + 1;
    const [v, a] = [`vx${i}`, `ax${i}`];
    if (transition.type === 'cut') {
      filters.push(`[${video}][v${i}]concat=n=2:v=1:a=0[${v}]`, `[${audio}][a${i}]concat=n=2:v=0:a=1[${a}]`);
      length += plan.clips[i].duration;
    } else {
      const offset = length - transition.duration;
      filters.push(
        `[${video}][v${i}]xfade=transition=${transition.type}:duration=${n(transition.duration)}:offset=${n(offset)}[${v}]`,
        `[${audio}][a${i}]acrossfade=d=${n(transition.duration)}[${a}]`,
      );
      length = offset + plan.clips[i].duration;
    }
    [video, audio] = [v, a];
  });

  let nextInput = plan.clips.length;
  const mix = [`[${audio}]`];
  if (plan.music && inputs.music) {
    const m = plan.music;
    args.push('-stream_loop', '-1', '-i', inputs.music);
    filters.push(
      `[${nextInput++}:a]atrim=end=${n(total)},aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,` +
        `volume=${n(m.volume)}` +
        (m.fadeIn > 0 ? `,afade=t=in:st=0:d=${n(m.fadeIn)}` : '') +
        (m.fadeOut > 0 ? `,afade=t=out:st=${n(Math.max(0, total - m.fadeOut))}:d=${n(m.fadeOut)}` : '') +
        '[music]',
    );
    mix.push('[music]');
  }
  if (plan.voiceOver && inputs.voiceOver) {
    const vo = plan.voiceOver;
    const delay = Math.round(vo.start * 1000);
    args.push('-i', inputs.voiceOver);
    filters.push(
      `[${nextInput++}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=${n(vo.volume)},` +
        `adelay=${delay}|${delay},apad,atrim=end=${n(total)}[voice]`,
    );
    mix.push('[voice]');
  }
  if (mix.length > 1) {
    // amix divides each input by their count: volume=count gives every track the level it was asked for.
    filters.push(
      `${mix.join('')}amix=inputs=${mix.length}:duration=first:dropout_transition=0,volume=${mix.length}[aout]`,
    );
    audio = 'aout';
  }

  const subtitles = plan.subtitles && inputs.subtitles ? plan.subtitles : null;
  if (subtitles?.mode === 'burn') {
    filters.push(`[${video}]subtitles=${inputs.subtitles}:charenc=UTF-8[vout]`);
    video = 'vout';
  }
  args.push(...(subtitles?.mode === 'track' ? ['-i', inputs.subtitles!] : []));
  args.push('-filter_complex', filters.join(';'), '-map', `[${video}]`, '-map', `[${audio}]`);
  if (subtitles?.mode === 'track') {
    args.push('-map', `${nextInput}:s`, '-c:s', plan.format === 'mp4' ? 'mov_text' : 'webvtt');
  }
  if (plan.format === 'mp4') {
    args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-c:a', 'aac', '-b:a', '160k');
    args.push('-movflags', '+faststart');
  } else {
    args.push('-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '0');
    args.push('-crf', '33', '-c:a', 'libopus', '-b:a', '128k');
  }
  args.push('-pix_fmt', 'yuv420p', '-r', String(fps), '-t', n(total), output);
  return args;
}

const xfadeSupport = new Map<string, Promise<boolean>>();

/**
 * Whether the ffmpeg at `binary` (the one the studio runs, by default) has the xfade filter, which came with
 * ffmpeg 4.3 (2020). Without it every transition becomes a cut: the npm fallback (@ffmpeg-installer/ffmpeg, a
 * 2018 static build, used only when neither FFMPEG_PATH nor PATH has an ffmpeg) is older, and no package on the
 * npm registry ships a newer static build in its tarball. Asked once per binary (`ffmpeg -filters`).
 */
export function ffmpegHasXfade(binary: string = ffmpegPath()): Promise<boolean> {
  let known = xfadeSupport.get(binary);
  if (!known) {
    known = promisify(execFile)(binary, ['-hide_banner', '-filters'], { maxBuffer: 4 * 1024 * 1024 })
      .then(({ stdout }) => /^\s*\S+\s+xfade\s/m.test(stdout))
      .catch(() => false);
    xfadeSupport.set(binary, known);
  }
  return known;
}

/**
 * One transition per boundary from the request's list (one for all, or one each; none: cuts). Without xfade
 * (see ffmpegHasXfade) each becomes a cut, which overlaps nothing: the video then lasts the clips' sum.
 */
export function resolveTransitions(
  given: readonly Transition[],
  boundaries: number,
  duration: number,
  xfade: boolean,
): CompositionPlan['transitions'] {
  return Array.from({ length: boundaries }, (_, k) => {
    const type: Transition = (given.length === 1 ? given[0] : given[k]) ?? 'cut';
    return xfade && type !== 'cut' ? { type, duration } : { type: 'cut', duration: 0 };
  });
}

/** Seconds a composition should take, from the output's length and size (x264 veryfast on one core ≈ 2× real time at 720p). */
export function estimateSeconds(plan: CompositionPlan): number {
  const pixels = (plan.width * plan.height) / (1280 * 720);
  const perSecond = (plan.format === 'webm' ? 1.2 : 0.5) * pixels;
  return Math.max(1, Math.ceil(2 + outputDuration(plan) * perSecond));
}
