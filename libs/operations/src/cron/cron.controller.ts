import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public } from '@crescendo/platform';
import { CleanupResponseDto, CronMetricsResponseDto } from './cron.dto';
import { CronSecretGuard } from './cron-secret.guard';
import { CronService } from './cron.service';

@ApiTags('operations')
@ApiBearerAuth('cronSecret')
@Controller('cron')
@Public()
@UseGuards(CronSecretGuard)
export class CronController {
  constructor(private readonly cron: CronService) {}

  @Get('cleanup')
  @ApiOperation({
    summary: 'Delete expired sessions and one-time tokens, old audit logs and old sent mails',
    description: 'The worker runs the same cleanup every day at 03:00 UTC.',
  })
  @ApiOkResponse({ type: CleanupResponseDto })
  @ApiErrors(401)
  runCleanup(): Promise<CleanupResponseDto> {
    return this.cron.runCleanup();
  }

  @Get('metrics')
  @ApiOperation({
    summary: 'Instance figures: users, active users, workspaces, pending jobs',
    description: 'The worker collects the same figures every 15 minutes and logs them.',
  })
  @ApiOkResponse({ type: CronMetricsResponseDto })
  @ApiErrors(401)
  getCronMetrics(): Promise<CronMetricsResponseDto> {
    return this.cron.collectMetrics();
  }
}
