import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Mounts Bull Board at /admin/queues for instance administrators only. */
export async function registerQueueDashboard(_app: NestFastifyApplication): Promise<void> {
  // Filled in by the operations work (Bull Board behind the instance-admin check).
}
