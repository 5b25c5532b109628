import { Injectable } from '@nestjs/common';
import {
  Permission,
  permissionDescriptions,
  Principal,
  Role,
  roleDescriptions,
  rolePermissions,
} from '@crescendo/platform';
import { PermissionResponseDto, RoleResponseDto } from './roles.dto';
import { canGrantRole } from './role-policy';

/** The role and permission catalogue, read from the platform's single definition. */
@Injectable()
export class RolesService {
  listRoles(principal: Principal): RoleResponseDto[] {
    return Object.values(Role).map((role) => ({
      name: role,
      description: roleDescriptions[role],
      permissions: [...rolePermissions[role]],
      assignable: canGrantRole(principal, role),
    }));
  }

  listPermissions(): PermissionResponseDto[] {
    return Object.values(Permission).map((permission) => ({
      name: permission,
      description: permissionDescriptions[permission],
      roles: Object.values(Role).filter((role) => rolePermissions[role].includes(permission)),
    }));
  }
}
