import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { JobAcceptedResponseDto, MayAcceptJob } from '@crescendo/jobs';
import { ExportLeadsQueryDto } from './leads-export.dto';
import { leadExportContentTypes, LeadsExportService } from './leads-export.service';

@ApiTags('leads')
@Controller('leads')
export class LeadsExportController {
  constructor(private readonly exports: LeadsExportService) {}

  @Get('export')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'Export the leads a list would show (same filters and sort, every page) as CSV or XLSX',
    description:
      'Up to EXPORT_SYNC_MAX_ROWS leads (default 10 000) the file comes in the answer (attachment ' +
      'leads-YYYY-MM-DD.csv|xlsx); above, 202 with a job whose files give a signed download link. Columns: id, ' +
      'name, email, phone, company, jobTitle, source, status, niche, tags (joined with ;), score, notes, ' +
      'customFields (one JSON column), ownerEmail, lastContactedAt, createdAt (ISO 8601 UTC). CSV is UTF-8 ' +
      'with a BOM. Any cell starting with = + - @ tab or carriage return is prefixed with a quote (formula ' +
      'injection).',
  })
  @ApiOkResponse({
    description: 'The file (CSV or XLSX as asked)',
    content: Object.fromEntries(
      Object.values(leadExportContentTypes).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @MayAcceptJob('Too many rows: the export runs as a job (follow it at statusUrl, also in Location)')
  @ApiErrors(400, 401, 403)
  async exportLeads(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ExportLeadsQueryDto,
  ): Promise<StreamableFile | JobAcceptedResponseDto> {
    const outcome = await this.exports.export(principal, query);
    if (outcome.kind === 'job') return outcome.accepted;
    return new StreamableFile(outcome.stream, {
      type: outcome.contentType,
      disposition: `attachment; filename="${outcome.fileName}"`,
    });
  }
}
