import { Body, Controller, Get, Headers, HttpCode, Post, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiHeader } from '@nestjs/swagger';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  Authenticated,
  CurrentPrincipal,
  CursorPaginated,
  Principal,
} from '@crescendo/platform';
import { JobAcceptedResponseDto, MayAcceptJob } from '@crescendo/jobs';
import { ClientMeta, CurrentClient } from './client-meta';
import { ConsentService } from './consent.service';
import {
  ConsentHistoryQueryDto,
  ConsentRecordResponseDto,
  ConsentResponseDto,
  DeleteMyDataDto,
  DeleteMyDataResponseDto,
  UpdateConsentDto,
  UpdateConsentResponseDto,
} from './gdpr.dto';
import { GdprErasureService } from './gdpr-erasure.service';
import { GdprService } from './gdpr.service';
import { GdprUserSessionGuard } from './user-session.guard';

@ApiTags('gdpr')
@Controller('gdpr')
@Authenticated()
@UseGuards(GdprUserSessionGuard)
@ApiErrors(403)
export class GdprController {
  constructor(
    private readonly gdpr: GdprService,
    private readonly erasure: GdprErasureService,
    private readonly consents: ConsentService,
  ) {}

  @Post('export')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Download everything Crescendo holds about you as one JSON file',
    description:
      'Streamed as it is read (attachment crescendo-data-export-{userId}-{timestamp}.json): profile, memberships, ' +
      'sessions and API keys (never a password hash, token or key secret), settings, audit entries about you, ' +
      'the records you created in every feature (all records of the workspaces you own), AI usage, consent ' +
      'history, forum posts, and your jobs with signed links to their files. With `Prefer: respond-async` it ' +
      'runs as a job instead (202): the file is kept with the job and its page is mailed to you.',
  })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description: '`respond-async`: write the export as a job file and mail its link',
    schema: { type: 'string', example: 'respond-async' },
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The JSON file', schema: { type: 'string', format: 'binary' } })
  @MayAcceptJob('Prefer: respond-async: the export runs as a job (follow it at statusUrl, also in Location)')
  exportMyData(
    @CurrentPrincipal() principal: Principal,
    @Headers('prefer') prefer: string | undefined,
  ): Promise<StreamableFile | JobAcceptedResponseDto> {
    return this.gdpr.export(principal, prefer);
  }

  @Post('delete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase your account and personal data (irreversible)',
    description:
      'Body {"confirmation":"DELETE_MY_DATA"}; anything else is a 400 and erases nothing. Workspaces you are the ' +
      'only owner of are deleted with all their data and files; in shared workspaces your personal data goes and ' +
      'what the workspace needs stays without your name. Sessions, API keys, caches and queued jobs go too; the ' +
      'e-mail can sign up again.',
  })
  @ApiOkResponse({ type: DeleteMyDataResponseDto })
  @ApiErrors(400)
  deleteMyData(
    @CurrentPrincipal() principal: Principal,
    @Body() _dto: DeleteMyDataDto,
  ): Promise<DeleteMyDataResponseDto> {
    return this.erasure.eraseUser(principal.userId);
  }

  @Get('consent')
  @ApiOperation({ summary: 'Your consent per purpose (necessary is always true; others false until granted)' })
  @ApiOkResponse({ type: ConsentResponseDto })
  getConsent(@CurrentPrincipal() principal: Principal): Promise<ConsentResponseDto> {
    return this.consents.current(principal.userId);
  }

  @Post('consent')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Grant or withdraw consent per purpose',
    description:
      'Each purpose whose choice changes is recorded (granted or withdrawn, policy version, time, IP, user ' +
      'agent); purposes left out stay as they are. necessary cannot be refused (400).',
  })
  @ApiOkResponse({ type: UpdateConsentResponseDto })
  @ApiErrors(400)
  updateConsent(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateConsentDto,
    @CurrentClient() client: ClientMeta,
  ): Promise<UpdateConsentResponseDto> {
    return this.consents.update(principal.userId, dto, client);
  }

  @Get('consent/history')
  @ApiOperation({ summary: 'Every consent change you made, newest first' })
  @ApiCursorPaginatedResponse(ConsentRecordResponseDto)
  @ApiErrors(400)
  getConsentHistory(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ConsentHistoryQueryDto,
  ): Promise<CursorPaginated<ConsentRecordResponseDto>> {
    return this.consents.history(principal.userId, query);
  }
}
