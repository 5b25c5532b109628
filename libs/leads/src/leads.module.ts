import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@crescendo/audit';
import { IdentityModule } from '@crescendo/identity';
import { TrackedJobsModule } from '@crescendo/jobs';
import { LeadsImportController } from './import/leads-import.controller';
import { LeadsImportHandler } from './import/leads-import.handler';
import { LeadsImportService } from './import/leads-import.service';
import { LeadsImporter } from './import/leads-importer';
import { LeadsExportController } from './export/leads-export.controller';
import { LeadsExportHandler } from './export/leads-export.handler';
import { LeadsExportService } from './export/leads-export.service';
import { LeadImportFailureEntity } from './import/lead-import-failure.entity';
import { LeadEventEntity } from './lead-event.entity';
import { LeadEntity } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsRetentionHandler } from './leads-retention.handler';
import { LeadsRepository } from './leads.repository';
import { LeadStatsService } from './lead-stats.service';
import { LeadsService } from './leads.service';
import { LeadsBulkService } from './leads-bulk.service';
import { NicheEntity } from './niche.entity';
import { NichesController } from './niches.controller';
import { NichesRepository } from './niches.repository';
import { NichesService } from './niches.service';
import { LeadsPersonalData } from './leads-personal-data.provider';

/** Leads (with their timeline, CSV/XLSX import and exports) and niches. */
@Module({
  imports: [
    TypeOrmModule.forFeature([LeadEntity, LeadEventEntity, NicheEntity, LeadImportFailureEntity]),
    AuditModule,
    TrackedJobsModule,
    // Owners are checked by identity.
    IdentityModule,
  ],
  controllers: [LeadsController, LeadsImportController, LeadsExportController, NichesController],
  providers: [
    LeadsPersonalData,
    LeadsService,
    LeadsBulkService,
    LeadsRepository,
    NichesService,
    NichesRepository,
    LeadsRetentionHandler,
    LeadsImportService,
    LeadsImporter,
    LeadsImportHandler,
    LeadsExportService,
    LeadsExportHandler,
    LeadStatsService,
  ],
  exports: [LeadsService, NichesService, LeadsExportService, LeadStatsService],
})
export class LeadsModule {}
