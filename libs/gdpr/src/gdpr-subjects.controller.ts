import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  CurrentPrincipal,
  CursorPaginated,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import {
  DataSubjectDto,
  EraseDataSubjectResponseDto,
  RecordSubjectConsentDto,
  SubjectConsentQueryDto,
  SubjectConsentRecordResponseDto,
  SubjectConsentStateDto,
} from './gdpr.dto';
import { GdprSubjectsService } from './gdpr-subjects.service';
import { SubjectConsentService } from './subject-consent.service';

@ApiTags('gdpr')
@Controller('gdpr/subjects')
@RequirePermissions(Permission.SettingsWrite)
@ApiErrors(400)
export class GdprSubjectsController {
  constructor(
    private readonly subjects: GdprSubjectsService,
    private readonly consents: SubjectConsentService,
  ) {}

  @Get('consent')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({
    summary: 'One lead’s, fan’s or subscriber’s consent per purpose (marketing e-mail, AI processing), by e-mail',
  })
  @ApiOkResponse({ type: SubjectConsentStateDto })
  getSubjectConsent(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DataSubjectDto,
  ): Promise<SubjectConsentStateDto> {
    return this.consents.state(principal.workspaceId, query.email);
  }

  @Post('consent')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a data subject’s consent (granted or withdrawn) per purpose',
    description:
      'Each purpose whose choice changes is a new record; purposes left out stay as they are. Without AI ' +
      'processing consent, agents, auto-replies and AI tools never send the person’s data to a provider.',
  })
  @ApiOkResponse({ type: SubjectConsentStateDto })
  recordSubjectConsent(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: RecordSubjectConsentDto,
  ): Promise<SubjectConsentStateDto> {
    return this.consents.record(principal, dto);
  }

  @Get('consent/history')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'Every consent change recorded for a data subject, newest first' })
  @ApiCursorPaginatedResponse(SubjectConsentRecordResponseDto)
  getSubjectConsentHistory(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SubjectConsentQueryDto,
  ): Promise<CursorPaginated<SubjectConsentRecordResponseDto>> {
    return this.consents.history(principal.workspaceId, query);
  }

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
