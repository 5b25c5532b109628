import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListLeadsQueryDto } from '../leads.dto';

export const leadExportFormats = ['csv', 'xlsx'] as const;
export type LeadExportFormat = (typeof leadExportFormats)[number];

/** The list's filters and sort (no page: every matching lead), and the file format. */
export class ExportLeadsQueryDto extends OmitType(ListLeadsQueryDto, ['page', 'limit', 'cursor'] as const) {
  @ApiPropertyOptional({ enum: leadExportFormats, default: 'csv' })
  @IsOptional()
  @IsIn(leadExportFormats)
  format: LeadExportFormat = 'csv';
}
