import { ApiProperty } from '@nestjs/swagger';

export class CleanupDetailsDto {
  @ApiProperty({ example: 120, description: 'Expired refresh tokens and sessions revoked more than 7 days ago' })
  refreshTokens: number;
  @ApiProperty({ example: 4, description: 'Expired or used one-time tokens' }) oneTimeTokens: number;
  @ApiProperty({ example: 30, description: 'Audit logs older than LOG_RETENTION_DAYS' }) auditLogs: number;
  @ApiProperty({ example: 2, description: 'Sent mails older than 30 days' }) mails: number;
}

export class CleanupResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ example: 156, description: 'Rows deleted in total' }) cleaned: number;
  @ApiProperty({ type: CleanupDetailsDto }) details: CleanupDetailsDto;
  @ApiProperty({ example: '2026-01-20T00:00:00.000Z' }) timestamp: string;
}

export class InstanceMetricsDto {
  @ApiProperty({ example: 1250 }) totalUsers: number;
  @ApiProperty({ example: 345, description: 'Users who signed in within the last 30 days' }) activeUsers: number;
  @ApiProperty({ example: 1180 }) totalWorkspaces: number;
  @ApiProperty({
    example: 5,
    nullable: true,
    type: Number,
    description: 'Jobs waiting, delayed or running across every queue (null when Redis is unreachable)',
  })
  pendingJobs: number | null;
  @ApiProperty({
    example: 0,
    nullable: true,
    type: Number,
    description: 'Jobs that exhausted their attempts (null when Redis is unreachable)',
  })
  failedJobs: number | null;
}

export class CronMetricsResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: InstanceMetricsDto }) metrics: InstanceMetricsDto;
  @ApiProperty({ example: '2026-01-20T10:30:00.000Z' }) timestamp: string;
}
