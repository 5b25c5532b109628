import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CursorPaginationQueryDto, Role } from '@crescendo/platform';
import { InvitationStatus } from './invitation.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ListInvitationsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: InvitationStatus, description: 'Only invitations in this state; all of them without' })
  @IsOptional()
  @IsEnum(InvitationStatus)
  status?: InvitationStatus;
}

/**
 * An invitation as the inviting workspace sees it: the e-mail and the invitation's state only, the same
 * whether or not an account exists for that e-mail.
 */
export class InvitationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ enum: [Role.Admin, Role.Member, Role.Viewer] }) role: Role;
  @ApiProperty({ enum: InvitationStatus }) status: InvitationStatus;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who sent it' }) invitedById: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was accepted, declined, revoked or marked expired',
  })
  respondedAt: string | null;
}

export class InvitationWorkspaceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Acme' }) name: string;
}

/** An invitation as the invited person sees it. */
export class MyInvitationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: InvitationWorkspaceDto }) workspace: InvitationWorkspaceDto;
  @ApiProperty({ enum: [Role.Admin, Role.Member, Role.Viewer] }) role: Role;
  @ApiProperty({ enum: InvitationStatus }) status: InvitationStatus;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class AcceptInvitationByTokenDto {
  @ApiProperty({ description: 'The token of the invitation mail', minLength: 16, maxLength: 200 })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  token: string;

  @ApiPropertyOptional({
    minLength: 8,
    maxLength: 128,
    description:
      'Required when the e-mail has no account yet, or an account without a password: it becomes the ' +
      'account’s password. Ignored for an account that already has one.',
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'The name of an account created by this acceptance (required then); ignored otherwise',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class AcceptedInvitationResponseDto {
  @ApiProperty({ type: InvitationWorkspaceDto }) workspace: InvitationWorkspaceDto;
  @ApiProperty({ enum: [Role.Admin, Role.Member, Role.Viewer] }) role: Role;
  @ApiProperty({ enum: [InvitationStatus.Accepted, InvitationStatus.Declined] }) status: InvitationStatus;
  @ApiProperty({ description: 'Whether this acceptance created the account (sign in with the chosen password)' })
  accountCreated: boolean;
}
