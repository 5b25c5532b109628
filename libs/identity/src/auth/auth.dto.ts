import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Permission, Role } from '@crescendo/platform';

const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const TOKEN_DELIVERIES = ['cookie', 'body', 'session'] as const;
export type TokenDelivery = (typeof TOKEN_DELIVERIES)[number];
const TOKEN_DELIVERY_DESCRIPTION =
  '`cookie`: the access token in the answer, the refresh token in an HttpOnly cookie (the SPA). ' +
  '`body`: both in the answer too (non-browser clients). `session`: a cookie session for browser clients: ' +
  'the access token only in the HttpOnly `accessToken` cookie (the answer carries an empty `accessToken`) ' +
  'and a readable `csrf` cookie whose value (also `csrfToken` in the answer) must be echoed in the ' +
  '`X-CSRF-Token` header of every POST, PUT, PATCH and DELETE authenticated by the cookie.';

export class PasswordField {
  @ApiProperty({ minLength: 8, maxLength: 128, example: 'correct horse battery' })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;
}

export class RegisterDto extends PasswordField {
  @ApiProperty({ example: 'user@example.com' })
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'John Doe', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ description: 'Terms accepted; must be true when sent' })
  @IsOptional()
  @IsBoolean()
  @Equals(true, { message: 'acceptTerms must be true' })
  acceptTerms?: boolean;
}

export class LoginDto {
  @ApiProperty({ example: 'user@example.com' })
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'correct horse battery' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    description: 'Keeps the session for REFRESH_REMEMBER_ME_TTL_DAYS instead of REFRESH_TTL_DAYS',
  })
  @IsOptional()
  @IsBoolean()
  rememberMe?: boolean;

  @ApiPropertyOptional({
    enum: TOKEN_DELIVERIES,
    default: 'cookie',
    description: TOKEN_DELIVERY_DESCRIPTION,
  })
  @IsOptional()
  @IsIn(TOKEN_DELIVERIES)
  tokenDelivery?: TokenDelivery;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token, when it is not sent as the refreshToken cookie' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refreshToken?: string;

  @ApiPropertyOptional({ enum: TOKEN_DELIVERIES, default: 'cookie', description: TOKEN_DELIVERY_DESCRIPTION })
  @IsOptional()
  @IsIn(TOKEN_DELIVERIES)
  tokenDelivery?: TokenDelivery;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'The refresh token, when it is not sent as the refreshToken cookie' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refreshToken?: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'user@example.com' })
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class PasswordResetConfirmDto extends PasswordField {
  @ApiProperty({ description: 'The token from the reset e-mail' })
  @IsString()
  @MinLength(10)
  @MaxLength(256)
  token: string;
}

export class PasswordUpdateDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  newPassword: string;
}

export class UserSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({
    example: 'free',
    description: 'Plan of the workspace signed into (an id of GET /api/billing/plans: free, pro, viral, enterprise…)',
  })
  subscription: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class RegisterResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ example: 'Account created' }) message: string;
  @ApiProperty({ format: 'uuid', description: 'The new user’s id (same as user.id)' }) userId: string;
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
}

export class TokenResponseDto {
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
  @ApiProperty({
    description: 'JWT access token (HS256), sent as Authorization: Bearer; empty with tokenDelivery=session',
  })
  accessToken: string;
  @ApiProperty({ example: 'Bearer', description: 'Bearer, or Cookie with tokenDelivery=session' }) tokenType: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiPropertyOptional({ description: 'Only with tokenDelivery=body; browsers get the HttpOnly cookie' })
  refreshToken?: string;
  @ApiPropertyOptional({
    description: 'Only with tokenDelivery=session: the X-CSRF-Token of this session (also the csrf cookie)',
  })
  csrfToken?: string;
}

export class SuccessMessageDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty() message: string;
}

export class WorkspaceMembershipDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
}

export class MeResponseDto {
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
  @ApiProperty({ type: WorkspaceMembershipDto, description: 'The workspace this token acts in' })
  workspace: WorkspaceMembershipDto;
  @ApiProperty({ enum: Permission, isArray: true }) permissions: Permission[];
  @ApiProperty({ type: [WorkspaceMembershipDto] }) workspaces: WorkspaceMembershipDto[];
  @ApiProperty({ description: 'Whether the user is an instance administrator (ADMIN_EMAILS)' }) instanceAdmin: boolean;
  @ApiProperty({ enum: ['user', 'api_key'] }) authenticatedBy: 'user' | 'api_key';
}
