import { Body, Controller, Get, Header, Headers, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AiQuotaExceededResponseDto, type AiToolCall, CurrentAiToolCall } from '@crescendo/ai-tools';
import { JobAcceptedResponseDto, RespondAsync } from '@crescendo/jobs';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RateLimit, RequirePermissions } from '@crescendo/platform';
import { replyWithAsset } from '@crescendo/studio';
import {
  AiImageOutputDto,
  AiImageResponseDto,
  AiMediaJobParamDto,
  AiSubtitlesOutputDto,
  AiSubtitlesResponseDto,
  AiVoiceOutputDto,
  AiVoiceResponseDto,
  GenerateImageDto,
  GenerateSubtitlesDto,
  GenerateVoiceDto,
} from './ai-media.dto';
import { AiMediaService, SUBTITLES_SYNC_MAX_SECONDS, VOICE_SYNC_MAX_CHARS } from './ai-media.service';

const common =
  'The result is kept as a studio asset (source and jobId say where it came from) and counts against the ' +
  'workspace’s storage quota (413 STORAGE_QUOTA_EXCEEDED). One unit of the month’s AI quota (or a message-pack ' +
  'credit) per call: 402 AI_QUOTA_EXCEEDED when used up; given back if the generation fails. The workspace’s ' +
  'own OpenAI key serves it when one is set. AI errors: 503 AI_PROVIDER_NOT_CONFIGURED / AI_PROVIDER_UNAVAILABLE, ' +
  '502 AI_PROVIDER_ERROR, 504 AI_PROVIDER_TIMEOUT. With `Prefer: respond-async` the call is queued (202); ' +
  'GET /api/jobs/:id then gives `output` as its `result`.';

@ApiTags('ai-media')
@ApiExtraModels(AiImageOutputDto, AiVoiceOutputDto, AiSubtitlesOutputDto)
@Controller('ai')
export class AiMediaController {
  constructor(private readonly media: AiMediaService) {}

  @Post('images')
  @RequirePermissions(Permission.ChatUse, Permission.ContentWrite)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Generate an image from a prompt (OpenAI Images or a compatible provider)',
    description: common,
  })
  @RespondAsync(AiImageResponseDto)
  @ApiResponse({ status: 402, description: 'AI_QUOTA_EXCEEDED', type: AiQuotaExceededResponseDto })
  @ApiErrors(400, 413, 502, 503, 504)
  generateAiImage(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateImageDto,
  ): Promise<AiImageResponseDto | JobAcceptedResponseDto> {
    return this.media.image(call, dto);
  }

  @Post('voice')
  @RequirePermissions(Permission.ChatUse, Permission.ContentWrite)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Generate a voice-over (text to speech, MP3); output.audioUrl serves it',
    description: `Texts over ${VOICE_SYNC_MAX_CHARS} characters are always queued (202). ${common}`,
  })
  @RespondAsync(AiVoiceResponseDto)
  @ApiResponse({ status: 402, description: 'AI_QUOTA_EXCEEDED', type: AiQuotaExceededResponseDto })
  @ApiErrors(400, 413, 502, 503, 504)
  generateAiVoice(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateVoiceDto,
  ): Promise<AiVoiceResponseDto | JobAcceptedResponseDto> {
    return this.media.voice(call, dto);
  }

  @Post('subtitles')
  @RequirePermissions(Permission.ChatUse, Permission.ContentWrite)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Timed subtitles of an audio or video (speech to text); also as SRT and WebVTT files',
    description:
      'audioUrl is one of the workspace’s assets (404 ASSET_NOT_FOUND otherwise; 400 AUDIO_REQUIRED when it is ' +
      'not audio or video) or an http(s) URL, fetched like an outgoing webhook (400 AUDIO_URL_NOT_ALLOWED for a ' +
      `private address). A remote file or a recording over ${SUBTITLES_SYNC_MAX_SECONDS} s is always queued ` +
      `(202). ${common}`,
  })
  @RespondAsync(AiSubtitlesResponseDto)
  @ApiResponse({ status: 402, description: 'AI_QUOTA_EXCEEDED', type: AiQuotaExceededResponseDto })
  @ApiErrors(400, 404, 413, 502, 503, 504)
  generateAiSubtitles(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateSubtitlesDto,
  ): Promise<AiSubtitlesResponseDto | JobAcceptedResponseDto> {
    return this.media.subtitles(call, dto);
  }

  @Get('voice/:jobId/audio.mp3')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'The voice-over a voice job produced (MP3; Range honoured, 206)' })
  @ApiHeader({ name: 'Range', required: false, schema: { type: 'string', example: 'bytes=0-1023' } })
  @ApiProduces('audio/mpeg')
  @ApiOkResponse({ description: 'The audio', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 206, description: 'The range asked', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 404, 416)
  async getAiVoiceAudio(
    @CurrentPrincipal() principal: Principal,
    @Param() { jobId }: AiMediaJobParamDto,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return replyWithAsset(reply, await this.media.voiceAudio(principal.workspaceId, jobId, range));
  }

  @Get('subtitles/:jobId/subtitles.srt')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'A subtitles job’s cues as an SRT file' })
  @Header('Content-Type', 'application/x-subrip; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="subtitles.srt"')
  @ApiProduces('application/x-subrip')
  @ApiOkResponse({ description: 'SRT', schema: { type: 'string' } })
  @ApiErrors(400, 404)
  getAiSubtitlesSrt(@CurrentPrincipal() principal: Principal, @Param() { jobId }: AiMediaJobParamDto): Promise<string> {
    return this.media.subtitleFile(principal.workspaceId, jobId, 'srt');
  }

  @Get('subtitles/:jobId/subtitles.vtt')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'A subtitles job’s cues as a WebVTT file (for <track>)' })
  @Header('Content-Type', 'text/vtt; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="subtitles.vtt"')
  @ApiProduces('text/vtt')
  @ApiOkResponse({ description: 'WebVTT', schema: { type: 'string' } })
  @ApiErrors(400, 404)
  getAiSubtitlesVtt(@CurrentPrincipal() principal: Principal, @Param() { jobId }: AiMediaJobParamDto): Promise<string> {
    return this.media.subtitleFile(principal.workspaceId, jobId, 'vtt');
  }
}
