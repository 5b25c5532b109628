import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An executable of that name on PATH, or null. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The npm package's binary (a fresh machine without ffmpeg installed), or null when it is not installed. */
function fromNpm(pkg: string): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(pkg) as { path: string }).path;
  } catch {
    return null;
  }
}

const cache = new Map<string, string>();

function resolve(name: 'ffmpeg' | 'ffprobe', envVar: string, pkg: string): string {
  const known = cache.get(name);
  if (known) return known;
  // The system's build first (Debian's has every codec), then the npm fallback, so `npm start` works anywhere.
  const found = process.env[envVar] || onPath(name) || fromNpm(pkg);
  if (!found) throw new Error(`${name} not found: install it, or set ${envVar}`);
  cache.set(name, found);
  return found;
}

export const ffmpegPath = (): string => resolve('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg');
export const ffprobePath = (): string => resolve('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe');
