import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServerErrorRecorder } from '@crescendo/platform';
import { AuditErrorRecorder } from './audit-error.recorder';
import { AuditLogEntity } from './audit-log.entity';
import { AuditService } from './audit.service';

@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  providers: [AuditService, { provide: ServerErrorRecorder, useClass: AuditErrorRecorder }],
  exports: [AuditService, ServerErrorRecorder],
})
export class AuditModule {}
