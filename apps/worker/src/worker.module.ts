import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  ConfigModule,
  DatabaseModule,
  JobsModule,
  LoggerModule,
  MetricsModule,
  RedisModule,
} from '@crescendo/platform';
import { OperationsModule } from '@crescendo/operations';
import { JobHandlerDiscovery } from './job-handlers';
import { QueueWorkerService } from './queue-worker.service';

/** Job composition root: platform services, the feature modules that own job handlers, and the binder. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    DatabaseModule,
    RedisModule,
    JobsModule,
    MetricsModule,
    DiscoveryModule,
    OperationsModule,
  ],
  providers: [JobHandlerDiscovery, QueueWorkerService],
})
export class WorkerModule {}
