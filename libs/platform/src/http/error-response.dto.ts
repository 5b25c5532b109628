import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Permission } from '../auth/permissions';

export class ErrorDetailDto {
  @ApiPropertyOptional({ example: 'email', description: 'Path of the field at fault, when the error is about a field' })
  field?: string;
  @ApiProperty({ example: 'email must be an email' })
  message: string;
  @ApiPropertyOptional({ enum: Permission, description: 'The permission the caller lacks (403 MISSING_PERMISSION)' })
  permission?: Permission;
}

/** The single error shape every route answers with. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'Not Found' }) error: string;
  @ApiProperty({ example: 'USER_NOT_FOUND', description: 'Stable machine-readable code' }) code: string;
  @ApiProperty({ example: 'User not found' }) message: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details: ErrorDetailDto[];
  @ApiProperty({ example: '5b3c9a1e-2f0e-4a43-9d53-8d7b7a3f5a10' }) requestId: string;
  @ApiPropertyOptional({
    example: 60,
    description: 'Seconds to wait before retrying (429 and 503; also in the Retry-After header)',
  })
  retryAfter?: number;
}
