import { ApiProperty } from '@nestjs/swagger';
import { Permission, Role } from '@crescendo/platform';

export class RoleResponseDto {
  @ApiProperty({ enum: Role, example: Role.Admin }) name: Role;
  @ApiProperty({ example: 'Every permission, including members, billing and settings' }) description: string;
  @ApiProperty({ enum: Permission, isArray: true, example: [Permission.LeadsRead] }) permissions: Permission[];
  @ApiProperty({ description: 'Whether the caller may give this role to a member' }) assignable: boolean;
}

export class PermissionResponseDto {
  @ApiProperty({ enum: Permission, example: Permission.LeadsRead }) name: Permission;
  @ApiProperty({ example: 'Read leads, niches, segments and subscribers' }) description: string;
  @ApiProperty({ enum: Role, isArray: true, description: 'Roles that carry this permission' }) roles: Role[];
}
