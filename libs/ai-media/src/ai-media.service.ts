import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { AiProviderRegistry, AiService } from '@crescendo/ai';
import { AiQuotaService, type AiToolCall } from '@crescendo/ai-tools';
import { isFinalFailure, JobAcceptedResponseDto, JobFailure, JobStatus, JobTrackerService } from '@crescendo/jobs';
import {
  AppConfig,
  AppException,
  assertPublicUrl,
  badRequest,
  notFound,
  OnJob,
  ResponseTooLargeError,
  safeGet,
  UnsafeUrlError,
} from '@crescendo/platform';
import { AiMediaJobs, type AiMediaPayload } from './ai-media.jobs';
import { type AssetFile, detectMediaType, SNIFF_BYTES, StudioService } from '@crescendo/studio';
import {
  AiImageOutputDto,
  AiImageResponseDto,
  AiSubtitlesOutputDto,
  AiSubtitlesResponseDto,
  AiVoiceOutputDto,
  AiVoiceResponseDto,
  GenerateImageDto,
  GenerateSubtitlesDto,
  GenerateVoiceDto,
} from './ai-media.dto';
import { toSrt, toVtt } from './subtitles-format';

/** OpenAI's transcription endpoint takes files up to 25 MB. */
const TRANSCRIPTION_MAX_BYTES = 25 * 1024 * 1024;
/** Longer voice-over texts are queued as a job (202): speech takes about a second per 100 characters. */
export const VOICE_SYNC_MAX_CHARS = 1000;
/** Longer recordings are transcribed in a job (202). */
export const SUBTITLES_SYNC_MAX_SECONDS = 120;

const VOICE_URL = /^\/api\/ai\/voice\/([0-9a-f-]{36})\/audio\.mp3$/i;

type Operation = 'image' | 'voice' | 'subtitles';
type Output = AiImageOutputDto | AiVoiceOutputDto | AiSubtitlesOutputDto;

const inputs = { image: GenerateImageDto, voice: GenerateVoiceDto, subtitles: GenerateSubtitlesDto };

/** Who asks, and the job the result belongs to. */
interface MediaCall {
  workspaceId: string;
  userId: string | null;
  jobId: string;
  signal?: AbortSignal;
}

const unsafeAudioUrl = (error: unknown) => {
  const message = (error as Error).message;
  return badRequest('AUDIO_URL_NOT_ALLOWED', `This URL cannot be fetched: ${message}`, [
    { field: 'audioUrl', message },
  ]);
};

/** A provider or storage error tells the job's user what went wrong; a 4xx will not heal with another attempt. */
function asJobFailure(error: unknown): unknown {
  if (!(error instanceof AppException)) return error;
  return new JobFailure(error.code, error.message, error.status < 500);
}

/**
 * AI images, voice-overs and subtitles, kept as studio assets. Each runs now (200, with a completed job record
 * so the answer's jobId can be followed like any) or as a tracked job (202) when the input is long or the
 * client asks `Prefer: respond-async`. Each takes one unit of the month's AI quota (or a credit), reserved
 * before the provider is called and given back if the generation fails.
 */
@Injectable()
export class AiMediaService {
  constructor(
    private readonly ai: AiService,
    private readonly providers: AiProviderRegistry,
    private readonly quota: AiQuotaService,
    private readonly tracker: JobTrackerService,
    private readonly studio: StudioService,
    private readonly config: AppConfig,
  ) {}

  image(call: AiToolCall, input: GenerateImageDto): Promise<AiImageResponseDto | JobAcceptedResponseDto> {
    return this.perform(call, 'image', input, call.respondAsync) as Promise<AiImageResponseDto>;
  }

  voice(call: AiToolCall, input: GenerateVoiceDto): Promise<AiVoiceResponseDto | JobAcceptedResponseDto> {
    const long = input.text.length > VOICE_SYNC_MAX_CHARS;
    return this.perform(call, 'voice', input, call.respondAsync || long) as Promise<AiVoiceResponseDto>;
  }

  async subtitles(
    call: AiToolCall,
    input: GenerateSubtitlesDto,
  ): Promise<AiSubtitlesResponseDto | JobAcceptedResponseDto> {
    // Checked now (a 400/404 at once rather than a failed job); a remote file or a long recording is a job.
    const own = await this.ownAudio(call.workspaceId, input.audioUrl);
    if (!own) await this.checkRemoteUrl(input.audioUrl);
    const long = !own || (own.durationSeconds ?? 0) > SUBTITLES_SYNC_MAX_SECONDS;
    return this.perform(call, 'subtitles', input, call.respondAsync || long) as Promise<AiSubtitlesResponseDto>;
  }

  /** The voice-over a job produced (GET /api/ai/voice/:jobId/audio.mp3), Range honoured. */
  async voiceAudio(workspaceId: string, jobId: string, range?: string): Promise<AssetFile> {
    const assetId = await this.outputOf(workspaceId, jobId, 'assetId');
    return this.studio.download(workspaceId, assetId, range);
  }

  /** A subtitles job's cues as an SRT or WebVTT file. */
  async subtitleFile(workspaceId: string, jobId: string, format: 'srt' | 'vtt'): Promise<string> {
    const cues = await this.outputOf(workspaceId, jobId, 'subtitles');
    return format === 'srt' ? toSrt(cues as never) : toVtt(cues as never);
  }

  private async outputOf(workspaceId: string, jobId: string, field: 'assetId' | 'subtitles') {
    const job = await this.tracker.get(workspaceId, jobId);
    const value = (job.result as Record<string, unknown> | null)?.[field];
    if (job.type !== AiMediaJobs.AiMedia || value === undefined) {
      throw notFound('AI_MEDIA_OUTPUT_NOT_FOUND', 'This job has produced no such output (yet)');
    }
    return value as string;
  }

  private async perform(call: AiToolCall, operation: Operation, input: object, queue: boolean) {
    this.providers.resolve((input as { provider?: string }).provider); // 503/400 now, not in a job
    const jobId = randomUUID();
    await this.quota.reserve(call.workspaceId, jobId);
    if (queue) {
      try {
        return await this.tracker.submit(
          AiMediaJobs.AiMedia,
          { workspaceId: call.workspaceId, userId: call.userId, operation, input: { ...input } },
          call.userId,
          jobId,
        );
      } catch (error) {
        await this.quota.release(jobId);
        throw error;
      }
    }
    let output: Output;
    try {
      output = await this.run(operation, { ...call, jobId }, input);
    } catch (error) {
      await this.quota.release(jobId);
      throw error;
    }
    await this.quota.settle(jobId);
    await this.tracker.recordCompleted(AiMediaJobs.AiMedia, call.workspaceId, call.userId, jobId, { ...output });
    return { jobId, status: JobStatus.Completed, output };
  }

  /** Worker: the same work; the quota unit goes back only once the job has finally failed. */
  @OnJob(AiMediaJobs.AiMedia)
  async runJob(data: AiMediaPayload, job: Job): Promise<Record<string, unknown>> {
    try {
      return await this.tracker.run(job, async (ctx) => {
        const operation = data.operation as Operation;
        if (!(operation in inputs)) throw new JobFailure('AI_OPERATION_UNKNOWN', `Unknown operation "${operation}"`);
        await ctx.progress(10);
        let output: Output;
        try {
          const input = plainToInstance(inputs[operation] as new () => object, data.input);
          output = await this.run(
            operation,
            { workspaceId: data.workspaceId, userId: data.userId, jobId: data.jobId },
            input,
          );
        } catch (error) {
          throw asJobFailure(error);
        }
        await this.quota.settle(data.jobId);
        return { result: { ...output } };
      });
    } catch (error) {
      if (isFinalFailure(job, error)) await this.quota.release(data.jobId);
      throw error;
    }
  }

  private run(operation: Operation, call: MediaCall, input: object): Promise<Output> {
    if (operation === 'image') return this.generateImage(call, input as GenerateImageDto);
    if (operation === 'voice') return this.generateVoice(call, input as GenerateVoiceDto);
    return this.generateSubtitles(call, input as GenerateSubtitlesDto);
  }

  private async generateImage(call: MediaCall, input: GenerateImageDto): Promise<AiImageOutputDto> {
    const result = await this.ai.generateImage({
      ...this.base(call, 'studio:image', input.provider),
      prompt: input.prompt,
      size: input.size,
      quality: input.quality,
    });
    const asset = await this.studio.storeGenerated({
      workspaceId: call.workspaceId,
      userId: call.userId,
      data: result.image,
      title: input.prompt.slice(0, 120),
      originalName: 'ai-image.png',
      source: 'ai-image',
      jobId: call.jobId,
      tags: ['ai'],
    });
    return { urls: [asset.url], assetIds: [asset.id], revisedPrompt: result.revisedPrompt };
  }

  private async generateVoice(call: MediaCall, input: GenerateVoiceDto): Promise<AiVoiceOutputDto> {
    const result = await this.ai.speech({
      ...this.base(call, 'studio:voice', input.provider),
      text: input.text,
      voice: input.voice,
      speed: input.speed,
    });
    const asset = await this.studio.storeGenerated({
      workspaceId: call.workspaceId,
      userId: call.userId,
      data: result.audio,
      title: `Voice-over: ${input.text.slice(0, 100)}`,
      originalName: 'voice-over.mp3',
      source: 'tts',
      jobId: call.jobId,
      tags: ['ai'],
    });
    return {
      audioUrl: `/api/ai/voice/${call.jobId}/audio.mp3`,
      assetId: asset.id,
      durationSeconds: asset.durationSeconds,
    };
  }

  private async generateSubtitles(call: MediaCall, input: GenerateSubtitlesDto): Promise<AiSubtitlesOutputDto> {
    const audio = await this.loadAudio(call.workspaceId, input.audioUrl);
    const result = await this.ai.transcribe({
      ...this.base(call, 'studio:subtitles', input.provider),
      audio: audio.data,
      fileName: audio.fileName,
      language: input.language,
    });
    const srt = toSrt(result.segments);
    const asset = await this.studio.storeGenerated({
      workspaceId: call.workspaceId,
      userId: call.userId,
      data: Buffer.from(srt, 'utf8'),
      title: `Subtitles: ${audio.title}`.slice(0, 255),
      originalName: 'subtitles.srt',
      source: 'subtitles',
      jobId: call.jobId,
      type: { mimeType: 'application/x-subrip', kind: 'text' },
      tags: ['ai', 'subtitles'],
    });
    return {
      subtitles: result.segments,
      language: result.language,
      srtUrl: `/api/ai/subtitles/${call.jobId}/subtitles.srt`,
      vttUrl: `/api/ai/subtitles/${call.jobId}/subtitles.vtt`,
      assetId: asset.id,
    };
  }

  private base(call: MediaCall, feature: string, provider?: string) {
    return { workspaceId: call.workspaceId, userId: call.userId, provider, feature, signal: call.signal };
  }

  /** The workspace's asset an audioUrl names (an asset URL or a voice-over URL), or null for any other URL. */
  private async ownAudio(workspaceId: string, url: string) {
    const voiceJob = VOICE_URL.exec(url)?.[1];
    const id = voiceJob ? await this.outputOf(workspaceId, voiceJob, 'assetId') : this.studio.assetIdOfUrl(url);
    if (!id) return null;
    const asset = await this.studio.get(workspaceId, id); // 404 ASSET_NOT_FOUND for another workspace's
    if (asset.kind !== 'audio' && asset.kind !== 'video') {
      throw badRequest('AUDIO_REQUIRED', 'audioUrl must name an audio or video asset', [
        { field: 'audioUrl', message: `this asset is ${asset.kind}` },
      ]);
    }
    if (asset.size > TRANSCRIPTION_MAX_BYTES) {
      throw badRequest('FILE_TOO_LARGE', `Transcription takes files up to ${TRANSCRIPTION_MAX_BYTES} bytes`);
    }
    return asset;
  }

  /** An http(s) URL to a public address (checked again, at connection time, when it is fetched). */
  private async checkRemoteUrl(url: string): Promise<void> {
    if (!/^https?:\/\//i.test(url)) {
      throw badRequest('AUDIO_URL_INVALID', 'audioUrl must be one of your assets’ URLs or an http(s) URL', [
        { field: 'audioUrl', message: 'not an asset URL nor an http(s) URL' },
      ]);
    }
    try {
      await assertPublicUrl(url, this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS);
    } catch (error) {
      throw unsafeAudioUrl(error);
    }
  }

  /** The audio's bytes: the workspace's asset, or a remote file fetched under the outgoing-webhook rules. */
  private async loadAudio(
    workspaceId: string,
    url: string,
  ): Promise<{ data: Buffer; fileName: string; title: string }> {
    const own = await this.ownAudio(workspaceId, url);
    if (own) {
      const { data } = await this.studio.readAsset(workspaceId, own.id, TRANSCRIPTION_MAX_BYTES);
      return { data, fileName: own.originalName, title: own.title };
    }
    await this.checkRemoteUrl(url);
    let answer;
    try {
      answer = await safeGet(url, {
        allowPrivate: this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS,
        timeoutMs: 30_000,
        maxBytes: TRANSCRIPTION_MAX_BYTES,
      });
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw unsafeAudioUrl(error);
      if (error instanceof ResponseTooLargeError) {
        throw badRequest('FILE_TOO_LARGE', `Transcription takes files up to ${TRANSCRIPTION_MAX_BYTES} bytes`);
      }
      throw new AppException(HttpStatus.BAD_GATEWAY, 'AUDIO_URL_UNREACHABLE', `audioUrl could not be fetched`);
    }
    if (answer.status !== 200) {
      throw new AppException(HttpStatus.BAD_GATEWAY, 'AUDIO_URL_UNREACHABLE', `audioUrl answered ${answer.status}`);
    }
    const type = detectMediaType(answer.body.subarray(0, SNIFF_BYTES));
    if (!type || (type.kind !== 'audio' && type.kind !== 'video')) {
      throw badRequest('AUDIO_REQUIRED', 'audioUrl does not hold audio or video');
    }
    const name = new URL(url).pathname.split('/').pop() || 'audio';
    return { data: answer.body, fileName: name, title: name };
  }
}
