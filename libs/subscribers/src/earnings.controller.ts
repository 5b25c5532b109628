import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { CreateEarningDto, EarningResponseDto, EarningsQueryDto, EarningsReportResponseDto } from './earnings.dto';
import { EarningsService } from './earnings.service';

@ApiTags('onlyfans')
@Controller('onlyfans/earnings')
export class EarningsController {
  constructor(private readonly earnings: EarningsService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'Earnings over a date range: a page of entries and totals (gross, refunds, net, by type, by period)',
    description:
      'Default range: the last 30 days. One currency per answer (never summed across currencies): ?currency=, ' +
      'else the one with the most entries; data.currencies lists the others. Periods are UTC day/week/month buckets.',
  })
  @ApiOkResponse({ type: EarningsReportResponseDto })
  @ApiErrors(400, 404)
  getEarnings(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EarningsQueryDto,
  ): Promise<EarningsReportResponseDto> {
    return this.earnings.report(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Record an earning (or a refund, negative); updates the subscriber’s lifetime spend and renewals',
    description:
      'Amounts in minor units: > 0, refunds < 0 (400 INVALID_AMOUNT). A subscription event adds a renewal. ' +
      'Replaying an externalId with the same figures answers 200 with the existing entry; other figures, 409.',
  })
  @ApiCreatedResponse({ type: EarningResponseDto, description: 'Recorded' })
  @ApiOkResponse({ type: EarningResponseDto, description: 'Already recorded under this externalId (idempotent)' })
  @ApiErrors(400, 404, 409)
  async recordEarning(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateEarningDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EarningResponseDto> {
    const { created, body } = await this.earnings.record(principal.workspaceId, dto);
    reply.status(created ? 201 : 200);
    return body;
  }
}
