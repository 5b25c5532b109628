export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** hh:mm:ss,mmm (SRT) or hh:mm:ss.mmm (WebVTT). */
function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** A cue's text never holds a blank line (it would end the cue) nor, in WebVTT, the "-->" arrow. */
const clean = (text: string) =>
  text
    .replace(/\r/g, '')
    .replace(/\n\s*\n/g, '\n')
    .replace(/-->/g, '->')
    .trim();

export function toSrt(cues: Cue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${timestamp(c.start, ',')} --> ${timestamp(c.end, ',')}\n${clean(c.text)}\n`)
    .join('\n');
}

export function toVtt(cues: Cue[]): string {
  const body = cues.map((c) => `${timestamp(c.start, '.')} --> ${timestamp(c.end, '.')}\n${clean(c.text)}\n`);
  return ['WEBVTT\n', ...body].join('\n');
}
