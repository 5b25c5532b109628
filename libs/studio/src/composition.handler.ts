import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore, OnJob } from '@crescendo/platform';
import { JobFailure, JobTrackerService } from '@crescendo/jobs';
import { analyseMedia, thumbnailKeyOf } from './asset-analysis';
import { AssetStorage } from './asset-storage';
import { compositionArgs, outputDuration, outputFileName, toSrt } from './composition';
import { FfmpegError, runFfmpeg } from './ffmpeg-run';
import { StudioAssetsRepository } from './studio-assets.repository';
import { StudioJobs, type StudioComposePayload } from './studio.jobs';

/** The work directory of a composition job: its input copies, subtitles and output until the asset is stored. */
export const compositionWorkKey = (jobId: string) => FileStore.key('studio-work', jobId);

/**
 * Runs a composition in the worker. Everything it writes before the end lives in the job's work directory,
 * emptied when an attempt starts (a previous one may have died in it) and removed when it ends. The output
 * is stored under a key derived from the job id, so a retry overwrites rather than adds, and its asset row is
 * inserted in the transaction that marks the job completed.
 */
@Injectable()
export class CompositionHandler {
  private readonly logger = new Logger(CompositionHandler.name);

  constructor(
    private readonly jobs: JobTrackerService,
    private readonly storage: AssetStorage,
    private readonly assets: StudioAssetsRepository,
    private readonly files: FileStore,
  ) {}

  @OnJob(StudioJobs.StudioCompose)
  async compose(data: StudioComposePayload, job: Job): Promise<Record<string, unknown>> {
    const plan = data.plan;
    const dir = this.files.path(compositionWorkKey(data.jobId));
    // The asset takes the job's id: one job, at most one asset, whatever the attempts.
    const assetId = data.jobId;
    const storageKey = `studio/${data.workspaceId}/${assetId}`;
    let stored = false;
    try {
      return await this.jobs.run(
        job,
        async (ctx) => {
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir, { recursive: true });
          // On S3 each input is downloaded into the work directory, once however often the timeline uses it
          // (ffmpeg seeks and loops in local files; the local driver answers the stored file's own path).
          const copies = new Map<string, Promise<string>>();
          const local = (key: string) => {
            let path = copies.get(key);
            if (!path) copies.set(key, (path = this.storage.localFile(key, dir, `input-${copies.size}`)));
            return path;
          };
          const inputs = {
            clips: await Promise.all(plan.clips.map((clip) => local(clip.storageKey))),
            music: plan.music ? await local(plan.music.storageKey) : null,
            voiceOver: plan.voiceOver ? await local(plan.voiceOver.storageKey) : null,
            subtitles: plan.subtitles ? 'subtitles.srt' : null,
          };
          if (plan.subtitles) await writeFile(join(dir, 'subtitles.srt'), toSrt(plan.subtitles.cues));
          const total = outputDuration(plan);
          const output = outputFileName(plan);
          await ctx.progress(0, 'Composing');
          try {
            await runFfmpeg(compositionArgs(plan, inputs, output), {
              cwd: dir,
              signal: ctx.signal,
              // 99 at most: 100 is for when the asset is committed.
              onProgress: (seconds) => void ctx.progress(Math.min(99, (seconds / total) * 100), 'Composing'),
            });
          } catch (error) {
            if (error instanceof FfmpegError) {
              this.logger.warn({ jobId: data.jobId, stderr: error.stderr }, 'ffmpeg failed');
              throw new JobFailure('COMPOSITION_FAILED', 'ffmpeg could not compose this timeline', false);
            }
            throw error;
          }
          await ctx.progress(99, 'Saving');
          stored = true;
          // The same analysis as an upload's (duration, size, codecs, poster), read from the local output before
          // it is moved into storage (a rename on the local driver, an upload on S3).
          const analysis = await analyseMedia(this.storage, join(dir, output), storageKey, 'video');
          await this.storage.moveIn(storageKey, join(dir, output));
          const size = (await this.storage.size(storageKey)) ?? 0;
          const result = {
            assetId,
            videoUrl: `/api/studio/assets/${assetId}/download`,
            duration: analysis.durationSeconds,
            size,
            width: analysis.width ?? plan.width,
            height: analysis.height ?? plan.height,
            format: plan.format,
          };
          return {
            result,
            persist: (manager) =>
              this.assets.upsertIn(manager, {
                id: assetId,
                workspaceId: data.workspaceId,
                createdById: data.userId,
                title: plan.title,
                originalName: `${plan.title.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim() || 'composition'}.${plan.format}`,
                folder: null,
                tags: [],
                kind: 'video',
                mimeType: plan.format === 'mp4' ? 'video/mp4' : 'video/webm',
                size,
                storageKey,
                source: 'composition',
                jobId: data.jobId,
                ...analysis,
              }),
          };
        },
        { cancellable: true },
      );
    } catch (error) {
      // Not committed (failed, cancelled): the stored output has no asset row, so it goes.
      if (stored) {
        await this.storage.remove(storageKey);
        await this.storage.remove(thumbnailKeyOf(storageKey));
      }
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
