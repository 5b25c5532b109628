import { defineJobs, QueueName } from '@crescendo/platform';
import type { CompositionPlan } from './composition';

/** A video composed with ffmpeg from the workspace's assets (a tracked job; its output is an asset). */
export interface StudioComposePayload {
  jobId: string;
  workspaceId: string;
  userId: string | null;
  /** The timeline as validated by the API. */
  plan: CompositionPlan;
}

/** The studio's jobs. */
export const StudioJobs = {
  StudioCompose: 'studio.compose',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [StudioJobs.StudioCompose]: StudioComposePayload;
  }
}

defineJobs(StudioJobs, {
  [StudioJobs.StudioCompose]: { queue: QueueName.Studio },
});
