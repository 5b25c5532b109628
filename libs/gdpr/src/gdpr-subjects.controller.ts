import { Body, Controller, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { DataSubjectDto, EraseDataSubjectResponseDto } from './gdpr.dto';
import { GdprSubjectsService } from './gdpr-subjects.service';

@ApiTags('gdpr')
@Controller('gdpr/subjects')
@RequirePermissions(Permission.SettingsWrite)
@ApiErrors(400)
export class GdprSubjectsController {
  constructor(private readonly subjects: GdprSubjectsService) {}

  @Post('export')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Export what the workspace holds about one lead or subscriber, by e-mail (streamed JSON)',
    description: 'Leads with their timelines, subscribers with their earnings. Workspace admins (settings:write).',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The JSON file', schema: { type: 'string', format: 'binary' } })
  exportDataSubject(@CurrentPrincipal() principal: Principal, @Body() dto: DataSubjectDto): StreamableFile {
    const file = this.subjects.export(principal.workspaceId, dto.email);
    return new StreamableFile(file.stream, {
      type: 'application/json',
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Post('delete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase one lead or subscriber from the workspace, by e-mail (irreversible)',
    description: 'Leads (with timelines and enrolments, deleted ones too), subscribers and their earnings.',
  })
  @ApiOkResponse({ type: EraseDataSubjectResponseDto })
  deleteDataSubject(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: DataSubjectDto,
  ): Promise<EraseDataSubjectResponseDto> {
    return this.subjects.erase(principal, dto.email);
  }
}
