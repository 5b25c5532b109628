import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

type Tool = 'ffmpeg' | 'ffprobe';

const npmPackages: Record<Tool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};
const envVariables: Record<Tool, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };

const resolved = new Map<Tool, string>();

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where the binary is: FFMPEG_PATH / FFPROBE_PATH when set, else the one on PATH (the distribution's build, with
 * libass and every codec), else the static build installed from npm so `npm start` works on a fresh machine.
 */
export function binaryPath(tool: Tool): string {
  const known = resolved.get(tool);
  if (known) return known;
  const configured = process.env[envVariables[tool]];
  let path = configured && executable(configured) ? configured : undefined;
  path ??= (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, tool))
    .find(executable);
  if (!path) {
    // Required lazily: the npm package only matters when the system has no binary.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    path = (require(npmPackages[tool]) as { path: string }).path;
  }
  resolved.set(tool, path);
  return path;
}

export const ffmpegPath = () => binaryPath('ffmpeg');
export const ffprobePath = () => binaryPath('ffprobe');
