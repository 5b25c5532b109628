import { assignableRoles, Principal, Role, rolePermissions } from '@crescendo/platform';

/**
 * Whether the caller may hand out (or take away) a role. A signed-in user follows `assignableRoles`;
 * an API key (no role) may only hand out roles whose permissions all lie within its own scopes.
 * Nobody grants more than they have, and nobody makes an owner.
 */
export function canGrantRole(principal: Principal, role: Role): boolean {
  if (role === Role.Owner) return false;
  if (principal.role) return assignableRoles(principal.role).includes(role);
  return rolePermissions[role].every((permission) => principal.permissions.includes(permission));
}
