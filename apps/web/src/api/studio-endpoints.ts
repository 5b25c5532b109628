import {
  deleteAsset,
  generateAiImage,
  generateAiSubtitles,
  generateAiVoice,
  getAsset,
  getStorageUsage,
  listAssets,
  type AssetResponseDto,
  type GenerateImageDto,
  type GenerateSubtitlesDto,
  type GenerateVoiceDto,
  type JobAcceptedResponseDto,
  type ListAssetsData,
  type UploadResponseDto,
} from '@crescendo/api-client';
import { client } from '@crescendo/api-client/client.gen';
import { currentAccessToken, refreshAccessToken } from './client';
import { ApiError, unwrap } from './errors';

/** The composition request (seed 002, POST /api/studio/video/compose). */
export interface ComposeClip {
  url: string;
  startTime: number;
  endTime: number;
}

export interface ComposeRequest {
  clips: ComposeClip[];
  transitions: string[];
  music?: string;
  subtitles?: string;
  outputFormat: 'mp4' | 'webm';
}

/** A studio job as GET /api/studio/jobs/:jobId answers it (seed 002). */
export interface StudioJob {
  jobId: string;
  status: 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
  progress: number;
  output?: { videoUrl?: string; assetId?: string } | null;
  error?: { code: string; message: string } | null;
}

/** An answer that is the work's result, or a 202 job when the API queued it. */
export type MaybeJob<T> = T | JobAcceptedResponseDto;
export const isQueued = (answer: object): answer is JobAcceptedResponseDto => 'statusUrl' in answer;

/** One upload through XMLHttpRequest, the only browser API that reports upload progress. */
function sendUpload(file: File, token: string | null, onProgress: (percent: number) => void) {
  return new Promise<{ status: number; body: unknown }>((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/studio/upload');
    xhr.withCredentials = true;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve({ status: 0, body: undefined });
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

export const studioApi = {
  listAssets: (query: NonNullable<ListAssetsData['query']>) => unwrap(listAssets({ query: { limit: 48, ...query } })),
  getAsset: (id: string) => unwrap(getAsset({ path: { id } })),
  deleteAsset: (id: string) => unwrap(deleteAsset({ path: { id } })),
  storage: () => unwrap(getStorageUsage()),
  /** Uploads a file, reporting progress; retried once after a token refresh on 401. */
  upload: async (file: File, onProgress: (percent: number) => void): Promise<UploadResponseDto> => {
    let answer = await sendUpload(file, currentAccessToken(), onProgress);
    if (answer.status === 401 && (await refreshAccessToken())) {
      answer = await sendUpload(file, currentAccessToken(), onProgress);
    }
    if (answer.status !== 200) throw new ApiError(answer.status, answer.body as never);
    return answer.body as UploadResponseDto;
  },
  image: (body: GenerateImageDto) => unwrap(generateAiImage({ body })),
  voice: (body: GenerateVoiceDto) => unwrap(generateAiVoice({ body })),
  subtitles: (body: GenerateSubtitlesDto) => unwrap(generateAiSubtitles({ body })),
  // The composition routes come with the studio's compose work; called by URL until they are in the client.
  compose: (body: ComposeRequest) =>
    unwrap(
      client.post({ url: '/api/studio/video/compose', body }) as Promise<{ data?: unknown; response: Response }>,
    ) as Promise<{
      jobId: string;
      status: string;
      estimatedTime?: number;
    }>,
  studioJob: (jobId: string) =>
    unwrap(
      client.get({ url: `/api/studio/jobs/${jobId}` }) as Promise<{ data?: unknown; response: Response }>,
    ) as Promise<StudioJob>,
};

export type Asset = AssetResponseDto;
