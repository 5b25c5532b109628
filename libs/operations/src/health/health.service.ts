import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import { DataSource } from 'typeorm';
import { AiProviderRegistry } from '@crescendo/ai';
import { QueueStatusService } from '../queues/queue-status.service';
import { withTimeout } from '../queues/with-timeout';
import { HealthResponseDto, MemoryUsageDto } from './health.dto';

export const DATABASE_CHECK_TIMEOUT_MS = 2000;
const MB = 1024 * 1024;

/** Checks the dependencies in parallel, each bounded, and grades the instance. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queueStatus: QueueStatusService,
    private readonly aiProviders: AiProviderRegistry,
  ) {}

  async check(): Promise<HealthResponseDto> {
    const [database, redis] = await Promise.all([this.databaseUp(), this.queueStatus.redisUp()]);
    const queues = redis ? await this.queueStatus.counts() : null;
    const ai = this.aiProviders.list().map((p) => ({ name: p.name, state: p.state }));
    const aiDown = ai.some((p) => p.state === 'open');
    return {
      status: !database ? 'unhealthy' : redis && !aiDown ? 'healthy' : 'degraded',
      database: database ? 'connected' : 'disconnected',
      redis: redis ? 'connected' : 'disconnected',
      queues: queues ?? 'disconnected',
      ai: { configured: this.aiProviders.configured, providers: ai },
      memory: memoryUsage(),
      uptime: Math.round(process.uptime()),
      timestamp: new Date().toISOString(),
    };
  }

  private async databaseUp(): Promise<boolean> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), DATABASE_CHECK_TIMEOUT_MS, 'Database check');
      return true;
    } catch {
      return false;
    }
  }
}

function memoryUsage(): MemoryUsageDto {
  const limit = constrainedMemory();
  const totalBytes = limit && limit > 0 && limit < totalmem() ? limit : totalmem();
  const usedBytes = process.memoryUsage.rss();
  return {
    used: Math.round(usedBytes / MB),
    total: Math.round(totalBytes / MB),
    percentage: Math.round((usedBytes / totalBytes) * 10000) / 100,
  };
}
