import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServerErrorRecorder } from '@crescendo/platform';
import { AuditErrorRecorder } from './audit-error.recorder';
import { AuditLogEntity } from './audit-log.entity';
import { AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';
import { AuditPersonalData } from './audit-personal-data.provider';

@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  controllers: [LogsController],
  providers: [
    AuditLogRepository,
    AuditPersonalData,
    AuditService,
    LogsService,
    { provide: ServerErrorRecorder, useClass: AuditErrorRecorder },
  ],
  exports: [AuditService, LogsService, ServerErrorRecorder],
})
export class AuditModule {}
