import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Role } from '@crescendo/platform';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateWorkspaceDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Acme Studio' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export class SwitchWorkspaceDto {
  @ApiPropertyOptional({
    enum: ['cookie', 'body'],
    default: 'cookie',
    description: 'Non-browser clients ask for `body` to also receive the refresh token in the answer',
  })
  @IsOptional()
  @IsIn(['cookie', 'body'])
  tokenDelivery?: 'cookie' | 'body';
}

export class TransferOwnershipDto {
  @ApiProperty({ format: 'uuid', description: 'An active member of the workspace, who becomes its owner' })
  @IsUUID()
  userId: string;
}

export class MyWorkspaceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role, description: 'My role in it' }) role: Role;
  @ApiProperty({ description: 'Whether I own it' }) owner: boolean;
  @ApiProperty({ description: 'Whether the calling token belongs to it' }) current: boolean;
  @ApiProperty({ example: 'free' }) plan: string;
  @ApiProperty({ format: 'date-time', description: 'When I joined it' }) joinedAt: string;
}
