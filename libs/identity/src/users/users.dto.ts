import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CursorPaginationQueryDto, Role } from '@crescendo/platform';
import { MembershipStatus } from '../workspaces/membership.entity';

const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const userSortFields = ['createdAt', 'name', 'email', 'lastLoginAt'] as const;
export type UserSortField = (typeof userSortFields)[number];

export class ListUsersQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: Role, description: 'Only members with this role' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @ApiPropertyOptional({
    enum: [MembershipStatus.Active, MembershipStatus.Inactive],
    description: 'Only members with this status (pending invitations are at GET /api/users/invitations)',
  })
  @IsOptional()
  @IsIn([MembershipStatus.Active, MembershipStatus.Inactive])
  status?: MembershipStatus.Active | MembershipStatus.Inactive;

  @ApiPropertyOptional({ description: 'Case-insensitive match on name or e-mail', maxLength: 200, example: 'ada' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: userSortFields, default: 'createdAt', description: 'createdAt = joined the workspace' })
  @IsOptional()
  @IsIn(userSortFields)
  sortBy: UserSortField = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class CreateUserDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({
    example: 'Ada',
    maxLength: 200,
    description: 'Only greets the person in the invitation mail; never stored on or compared with an account',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiProperty({
    enum: [Role.Admin, Role.Member, Role.Viewer],
    example: Role.Member,
    description: 'Must be a role the caller may assign (see GET /api/roles, `assignable`)',
  })
  @IsEnum(Role)
  role: Role;
}

/**
 * Membership fields only. A person's global profile (name, avatar, e-mail, password) is theirs alone
 * (PUT /api/management/profile): sending any of it here is refused as an unknown field.
 */
export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: [Role.Admin, Role.Member, Role.Viewer],
    description: 'The owner cannot be demoted; nobody grants a role beyond their own',
  })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
}

export class UpdateUserStatusDto {
  @ApiProperty({
    enum: [MembershipStatus.Active, MembershipStatus.Inactive],
    description: 'inactive locks the member out of this workspace at once (their sessions are revoked)',
  })
  @IsIn([MembershipStatus.Active, MembershipStatus.Inactive])
  status: MembershipStatus.Active | MembershipStatus.Inactive;
}

/** A member of the workspace, as the members screens show it. */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ type: String, nullable: true, example: null }) avatarUrl: string | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the account was created' })
  createdAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When they joined (or were invited to) this workspace',
  })
  joinedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who added them to the workspace' })
  invitedById: string | null;
}
