import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  compositionArgs,
  CompositionPlan,
  ffmpegHasXfade,
  outputDuration,
  outputFileName,
  resolveTransitions,
  toSrt,
} from './composition';
import { ffmpegPath } from './ffmpeg-binaries';
import { runFfmpeg } from './ffmpeg-run';
import { probeMedia } from './media-probe';

const run = promisify(execFile);
/** The fallback `npm start` uses on a machine without ffmpeg: a 2018 static build, without xfade. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const npmFfmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

const plan = (overrides: Partial<CompositionPlan> = {}): CompositionPlan => ({
  clips: [
    { storageKey: 'a', still: false, start: 1, duration: 4, hasAudio: true },
    { storageKey: 'b', still: true, start: 0, duration: 3, hasAudio: false },
    { storageKey: 'c', still: false, start: 0, duration: 5, hasAudio: true },
  ],
  transitions: [
    { type: 'fade', duration: 0.5 },
    { type: 'cut', duration: 0 },
  ],
  music: null,
  voiceOver: null,
  subtitles: null,
  width: 1280,
  height: 720,
  fps: 30,
  format: 'mp4',
  title: 'x',
  ...overrides,
});
const inputs = { clips: ['a.mp4', 'b.png', 'c.mp4'], music: 'm.mp3', voiceOver: null, subtitles: 'subtitles.srt' };

describe('composition', () => {
  it('lasts the clips minus the overlap of each transition (a cut overlaps nothing)', () => {
    expect(outputDuration(plan())).toBe(11.5);
  });

  it('writes SRT cues with HH:MM:SS,mmm times, numbered from 1', () => {
    expect(
      toSrt([
        { start: 0, end: 2.5, text: 'Bonjour' },
        { start: 3661.001, end: 3662, text: 'a\n\nb' },
      ]),
    ).toBe('1\n00:00:00,000 --> 00:00:02,500\nBonjour\n\n2\n01:01:01,001 --> 01:01:02,000\na\nb\n');
  });

  it('xfades at the running length minus the transition, loops the image, silences a clip without sound', () => {
    const args = compositionArgs(plan(), inputs, 'output.mp4');
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('[v0][v1]xfade=transition=fade:duration=0.5:offset=3.5[vx1]');
    expect(graph).toContain('[a0][a1]acrossfade=d=0.5[ax1]');
    expect(graph).toContain('[vx1][v2]concat=n=2:v=1:a=0[vx2]');
    expect(graph).toContain('anullsrc=r=48000:cl=stereo,atrim=end=3');
    expect(args.join(' ')).toContain('-loop 1 -framerate 30 -t 3 -i b.png');
    expect(args.join(' ')).toContain('-ss 1 -t 4 -i a.mp4');
    expect(args.slice(-3)).toEqual(['-t', '11.5', 'output.mp4']);
  });

  it('mixes music looped and faded, burns subtitles or maps them as a track', () => {
    const music = { storageKey: 'm', volume: 0.3, fadeIn: 1, fadeOut: 2 };
    const cues = [{ start: 0, end: 1, text: 'Hi' }];
    const burned = compositionArgs(plan({ music, subtitles: { cues, mode: 'burn' } }), inputs, 'o.mp4');
    const graph = burned[burned.indexOf('-filter_complex') + 1];
    expect(burned.join(' ')).toContain('-stream_loop -1 -i m.mp3');
    expect(graph).toContain('volume=0.3,afade=t=in:st=0:d=1,afade=t=out:st=9.5:d=2[music]');
    expect(graph).toContain('[ax2][music]amix=inputs=2:duration=first:dropout_transition=0,volume=2[aout]');
    expect(graph).toContain('[vx2]subtitles=subtitles.srt');
    const track = compositionArgs(plan({ subtitles: { cues, mode: 'track' }, format: 'webm' }), inputs, 'o.webm');
    expect(track.join(' ')).toContain('-i subtitles.srt');
    expect(track.join(' ')).toContain('-map 3:s -c:s webvtt');
    expect(track.join(' ')).toContain('-c:v libvpx-vp9');
  });

  it('keeps the transitions asked with xfade; without it every one becomes a cut that overlaps nothing', () => {
    expect(resolveTransitions(['fade'], 2, 0.5, true)).toEqual([
      { type: 'fade', duration: 0.5 },
      { type: 'fade', duration: 0.5 },
    ]);
    expect(resolveTransitions(['wipeleft', 'cut'], 2, 1, true)).toEqual([
      { type: 'wipeleft', duration: 1 },
      { type: 'cut', duration: 0 },
    ]);
    expect(resolveTransitions([], 2, 0.5, true)).toEqual([
      { type: 'cut', duration: 0 },
      { type: 'cut', duration: 0 },
    ]);
    const cuts = resolveTransitions(['fade', 'dissolve'], 2, 0.5, false);
    expect(cuts).toEqual([
      { type: 'cut', duration: 0 },
      { type: 'cut', duration: 0 },
    ]);
    expect(outputDuration({ clips: plan().clips, transitions: cuts })).toBe(12);
  });

  it('detects xfade from the binary itself: the npm fallback (2018) has none, the studio’s ffmpeg (4.3+) has it', async () => {
    expect((await run(npmFfmpeg, ['-hide_banner', '-version'])).stdout).toMatch(/Copyright \(c\) 2000-2018/);
    expect(await ffmpegHasXfade(npmFfmpeg)).toBe(false);
    // The machines install Debian's ffmpeg (Dockerfile, .ci/run): FFMPEG_PATH or PATH finds it before the fallback.
    expect(ffmpegPath()).not.toBe(npmFfmpeg);
    expect(await ffmpegHasXfade()).toBe(true);
    expect(await ffmpegHasXfade('/nonexistent/ffmpeg')).toBe(false);
  });

  it('the cut fallback runs on the npm ffmpeg: two clips, music, burned subtitles, the clips’ summed length', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'studio-npm-ffmpeg-'));
    try {
      const make = (name: string, source: string[]) =>
        run(npmFfmpeg, ['-v', 'error', '-y', ...source, join(dir, name)]).then(() => name);
      const clipA = await make('a.mp4', [
        ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2'],
        ...['-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast'],
        ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
      ]);
      const clipB = await make('b.mp4', [
        ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-c:v', 'libx264'],
        ...['-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      ]);
      const music = await make('m.mp3', ['-f', 'lavfi', '-i', 'sine=frequency=220:duration=1']);
      const cues = [{ start: 0, end: 1, text: 'Hi' }];
      const cut: CompositionPlan = plan({
        clips: [
          { storageKey: 'a', still: false, start: 0, duration: 2, hasAudio: true },
          { storageKey: 'b', still: false, start: 0.5, duration: 1.5, hasAudio: false },
        ],
        transitions: resolveTransitions(['fade'], 1, 0.5, await ffmpegHasXfade(npmFfmpeg)),
        music: { storageKey: 'm', volume: 0.3, fadeIn: 0.5, fadeOut: 0.5 },
        subtitles: { cues, mode: 'burn' },
        width: 320,
        height: 240,
        fps: 25,
      });
      await writeFile(join(dir, 'subtitles.srt'), toSrt(cues));
      const output = outputFileName(cut);
      const args = compositionArgs(
        cut,
        { clips: [clipA, clipB], music, voiceOver: null, subtitles: 'subtitles.srt' },
        output,
      );
      expect(args.join(' ')).not.toContain('xfade');
      await runFfmpeg(args, { cwd: dir, binary: npmFfmpeg });
      const media = await probeMedia(join(dir, output));
      expect(media.duration).toBeCloseTo(3.5, 1);
      expect(media.streams.map((s) => [s.type, s.codec])).toEqual([
        ['video', 'h264'],
        ['audio', 'aac'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
