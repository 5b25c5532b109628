import { Controller, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiErrors,
  CurrentPrincipal,
  multipartBody,
  Permission,
  Principal,
  RateLimit,
  RequirePermissions,
} from '@crescendo/platform';
import { AcceptsJob, JobAcceptedResponseDto } from '@crescendo/jobs';
import { importFields } from './import-fields';
import { LeadsImportService } from './leads-import.service';

@ApiTags('leads')
@Controller('leads')
export class LeadsImportController {
  constructor(private readonly imports: LeadsImportService) {}

  @Post('import')
  @AcceptsJob()
  @RequirePermissions(Permission.LeadsWrite)
  @RateLimit('upload')
  @ApiOperation({
    summary: 'Import leads from a CSV or XLSX file, as a background job (follow it at /api/jobs/:id)',
    description:
      'The job reads the file row by row. A row needs a name (else it is taken from the e-mail, then the ' +
      'company); a bad row (e-mail syntax, status, score 0–100, unknown niche, too long) is counted as failed ' +
      'and listed in the job’s report.csv (line, reason, row). An e-mail already used by a live lead of the ' +
      'workspace is skipped, or updated with duplicatePolicy=update (only the cells the file fills; tags and ' +
      'custom fields are merged). Inside one file the first occurrence of an e-mail wins; later ones count as ' +
      'skipped. Result: {totalRows, inserted, updated, skipped, failed}. 413 FILE_TOO_LARGE above ' +
      'IMPORT_MAX_BYTES, 415 UNSUPPORTED_FILE_TYPE for anything but CSV/XLSX. The job fails with ' +
      'IMPORT_FILE_UNREADABLE for a file that is not a table, and IMPORT_XLSX_TOO_LARGE for an XLSX file past ' +
      'its limits (512 MB inflated, 64 MB or 1,000,000 shared strings, 32,767 characters a cell, 1,048,576 ' +
      'rows). A job its worker dropped (crash) resumes after its last committed batch.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV (`,` or `;`, UTF-8) or XLSX (first sheet)' },
        mapping: {
          type: 'string',
          description:
            `JSON object: file column header → lead field among ${importFields.join(', ')} or custom.<key>. ` +
            'Without it, headers are matched to fields ignoring case, accents and spaces ("E-mail", "Job title").',
          example: '{"Nom":"name","Courriel":"email","Budget":"custom.budget"}',
        },
        duplicatePolicy: { type: 'string', enum: ['skip', 'update'], default: 'skip' },
        defaultSource: { type: 'string', maxLength: 100, description: 'Source of the rows that have none' },
      },
    },
  })
  @ApiErrors(400, 413, 415)
  importLeads(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<JobAcceptedResponseDto> {
    return this.imports.accept(principal, multipartBody(request));
  }
}
