import { Injectable } from '@nestjs/common';
import { badRequest, notFound, Principal } from '@crescendo/platform';
import { StudioJobs } from './studio.jobs';
import { JobResponseDto, JobTrackerService } from '@crescendo/jobs';
import { AssetStorage } from './asset-storage';
import { CompositionPlan, estimateSeconds, ffmpegHasXfade, outputDuration, resolveTransitions } from './composition';
import {
  ComposeAcceptedDto,
  ComposeVideoDto,
  ListStudioJobsQueryDto,
  STUDIO_JOB_TYPES,
  StudioJobDto,
} from './composition.dto';
import { probeMedia, ProbedMedia } from './media-probe';
import type { StudioAssetEntity } from './studio-asset.entity';
import { StudioAssetsRepository } from './studio-assets.repository';
import type { CursorPaginated } from '@crescendo/platform';

const ASSET_URL = /^\/api\/studio\/assets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/download$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Slack on a clip's out point: containers round durations. */
const DURATION_SLACK = 0.05;
const MAX_OUTPUT_SECONDS = 30 * 60;
const DEFAULT_IMAGE_SECONDS = 5;

const invalid = (field: string, message: string) => badRequest('INVALID_TIMELINE', message, [{ field, message }]);

/** POST /api/studio/video/compose's validation and queueing, and the studio's view of its jobs. */
@Injectable()
export class CompositionService {
  constructor(
    private readonly assets: StudioAssetsRepository,
    private readonly storage: AssetStorage,
    private readonly jobs: JobTrackerService,
  ) {}

  /** Checks the timeline against the assets themselves (kinds, durations) and queues it: 202 with the job. */
  async compose(principal: Principal, dto: ComposeVideoDto): Promise<ComposeAcceptedDto> {
    const plan = await this.plan(principal.workspaceId, dto);
    const accepted = await this.jobs.submit(
      StudioJobs.StudioCompose,
      {
        workspaceId: principal.workspaceId,
        userId: principal.userId,
        plan,
      },
      principal.userId,
    );
    // Still a JobAcceptedResponseDto instance: the interceptor answers it as a 202 with Location.
    return Object.assign(accepted, {
      statusUrl: `/api/studio/jobs/${accepted.jobId}`,
      estimatedTime: estimateSeconds(plan),
    });
  }

  async plan(workspaceId: string, dto: ComposeVideoDto): Promise<CompositionPlan> {
    const width = dto.width ?? 1280;
    const height = dto.height ?? 720;
    if (width % 2 || height % 2) throw invalid('width', 'width and height must be even numbers of pixels');
    const clips: CompositionPlan['clips'] = [];
    for (const [i, clip] of dto.clips.entries()) {
      const field = `clips[${i}]`;
      const asset = await this.asset(workspaceId, clip.url, `${field}.url`);
      if (asset.kind === 'image') {
        const duration = clip.duration ?? (clip.endTime ?? DEFAULT_IMAGE_SECONDS) - (clip.startTime ?? 0);
        if (!(duration >= 0.1 && duration <= 600)) {
          throw invalid(`${field}.duration`, 'An image clip lasts between 0.1 and 600 seconds');
        }
        clips.push({ storageKey: asset.storageKey, still: true, start: 0, duration, hasAudio: false });
        continue;
      }
      if (asset.kind !== 'video') throw invalid(`${field}.url`, `A clip is a video or an image, not ${asset.kind}`);
      const media = await this.probe(asset, `${field}.url`);
      const length = media.duration ?? 0;
      const start = clip.startTime ?? 0;
      const end = clip.endTime ?? (clip.duration !== undefined ? start + clip.duration : length);
      if (start >= length) {
        throw invalid(`${field}.startTime`, `startTime must be before the clip’s end (${length.toFixed(2)} s)`);
      }
      if (end > length + DURATION_SLACK) {
        throw invalid(`${field}.endTime`, `endTime is past the clip’s end (${length.toFixed(2)} s)`);
      }
      if (end - start < 0.1) throw invalid(`${field}.endTime`, 'endTime must be at least 0.1 s after startTime');
      clips.push({
        storageKey: asset.storageKey,
        still: false,
        start,
        duration: Math.min(end, length) - start,
        hasAudio: media.hasAudio,
      });
    }
    const transitions = await this.transitions(dto, clips);
    const total = outputDuration({ clips, transitions });
    if (total > MAX_OUTPUT_SECONDS) throw invalid('clips', `The video would last over ${MAX_OUTPUT_SECONDS} s`);

    const audio = async (ref: string, field: string) => {
      const asset = await this.asset(workspaceId, ref, field);
      const media = asset.kind === 'audio' || asset.kind === 'video' ? await this.probe(asset, field) : null;
      if (!media?.hasAudio) throw invalid(field, 'This asset has no sound');
      return asset.storageKey;
    };
    const fade = Math.min(dto.musicFade ?? 1, total / 2);
    const music = dto.music
      ? { storageKey: await audio(dto.music, 'music'), volume: dto.musicVolume ?? 0.3, fadeIn: fade, fadeOut: fade }
      : null;
    const voiceOverStart = dto.voiceOverStart ?? 0;
    if (dto.voiceOver && voiceOverStart >= total) {
      throw invalid('voiceOverStart', 'The voice-over would start after the video ends');
    }
    const voiceOver = dto.voiceOver
      ? { storageKey: await audio(dto.voiceOver, 'voiceOver'), volume: 1, start: voiceOverStart }
      : null;
    for (const [i, cue] of (dto.subtitles ?? []).entries()) {
      if (cue.end <= cue.start) throw invalid(`subtitles[${i}].end`, 'A cue ends after it starts');
    }
    return {
      clips,
      transitions,
      music,
      voiceOver,
      subtitles: dto.subtitles?.length
        ? { cues: dto.subtitles.map((c) => ({ ...c })), mode: dto.subtitlesMode ?? 'burn' }
        : null,
      width,
      height,
      fps: dto.fps ?? 30,
      format: dto.outputFormat ?? 'mp4',
      title: dto.title ?? 'Composition',
    };
  }

  /** One transition per boundary; each clip lasts longer than the transitions that overlap it. */
  private async transitions(dto: ComposeVideoDto, clips: CompositionPlan['clips']) {
    const boundaries = clips.length - 1;
    const given = dto.transitions ?? [];
    if (given.length > 1 && given.length !== boundaries) {
      throw invalid('transitions', `Give one transition per boundary (${boundaries}) or one for all`);
    }
    // ffmpeg builds without xfade (before 4.3, like the static npm one) cut instead.
    const transitions = resolveTransitions(given, boundaries, dto.transitionDuration ?? 0.5, await ffmpegHasXfade());
    clips.forEach((clip, i) => {
      const overlap = (transitions[i - 1]?.duration ?? 0) + (transitions[i]?.duration ?? 0);
      if (overlap && clip.duration <= overlap) {
        throw invalid(`clips[${i}]`, `The clip is shorter than its transitions (${overlap} s)`);
      }
    });
    return transitions;
  }

  private async asset(workspaceId: string, ref: string, field: string): Promise<StudioAssetEntity> {
    const id = ASSET_URL.exec(ref)?.[1] ?? (UUID.test(ref) ? ref : null);
    if (!id) throw invalid(field, 'Not one of your assets: give its url (/api/studio/assets/<id>/download) or id');
    const asset = await this.assets.find(workspaceId, id.toLowerCase());
    if (!asset) throw invalid(field, 'No such asset in this workspace');
    return asset;
  }

  /**
   * An input's length and whether it has sound: what its upload's analysis (ffprobe) stored on the asset, else
   * ffprobe now, reading the stored file in place (its path, or a signed URL it reads with Range requests on S3).
   * One ffprobe costs ≈ 80 ms to start; a timeline of six inputs would wait half a second for them.
   */
  private async probe(asset: StudioAssetEntity, field: string): Promise<Pick<ProbedMedia, 'duration' | 'hasAudio'>> {
    const streams = asset.metadata?.streams;
    if (asset.durationSeconds && Array.isArray(streams)) {
      return {
        duration: asset.durationSeconds,
        hasAudio: streams.some((s) => (s as { type?: string } | null)?.type === 'audio'),
      };
    }
    try {
      return await probeMedia(await this.storage.probeSource(asset.storageKey));
    } catch {
      throw invalid(field, 'This asset cannot be read as media');
    }
  }

  async getJob(workspaceId: string, jobId: string): Promise<StudioJobDto> {
    return toStudioJob(this.ownJob(await this.jobs.get(workspaceId, jobId)));
  }

  async listJobs(principal: Principal, query: ListStudioJobsQueryDto): Promise<CursorPaginated<StudioJobDto>> {
    const page = await this.jobs.list(
      principal.workspaceId,
      { userId: principal.userId, names: query.type ? [query.type] : STUDIO_JOB_TYPES, status: query.status },
      query,
    );
    return { data: page.data.map(toStudioJob), pagination: page.pagination };
  }

  /** Cancels a studio job: queued, it never runs; running, its worker kills ffmpeg and removes its files. */
  async cancelJob(workspaceId: string, jobId: string): Promise<StudioJobDto> {
    this.ownJob(await this.jobs.get(workspaceId, jobId));
    return toStudioJob(await this.jobs.cancel(workspaceId, jobId));
  }

  /** Another feature's job is not the studio's: the same 404 as a missing one. */
  private ownJob(job: JobResponseDto): JobResponseDto {
    if (!(STUDIO_JOB_TYPES as readonly string[]).includes(job.type)) {
      throw notFound('JOB_NOT_FOUND', 'No studio job with this id in your workspace');
    }
    return job;
  }
}

export function toStudioJob(job: JobResponseDto): StudioJobDto {
  return {
    jobId: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    message: job.message,
    output: job.result,
    error: job.error,
    attempts: job.attempts,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
