/** Every permission a role or an API key scope can carry. */
export enum Permission {
  LeadsRead = 'leads:read',
  LeadsWrite = 'leads:write',
  CampaignsRead = 'campaigns:read',
  CampaignsWrite = 'campaigns:write',
  AgentsRead = 'agents:read',
  AgentsWrite = 'agents:write',
  ChatUse = 'chat:use',
  ContentRead = 'content:read',
  ContentWrite = 'content:write',
  AnalyticsRead = 'analytics:read',
  BillingManage = 'billing:manage',
  SettingsRead = 'settings:read',
  SettingsWrite = 'settings:write',
  LogsRead = 'logs:read',
  ApiKeysManage = 'api-keys:manage',
  UsersRead = 'users:read',
  AdminUsers = 'admin:users',
}

export const permissionDescriptions: Record<Permission, string> = {
  [Permission.LeadsRead]: 'Read leads, niches, segments and subscribers',
  [Permission.LeadsWrite]: 'Create, change, import and delete leads, niches, segments and subscribers',
  [Permission.CampaignsRead]: 'Read campaigns and their statistics',
  [Permission.CampaignsWrite]: 'Create, change and delete campaigns and automation',
  [Permission.AgentsRead]: 'Read AI agents and their logs',
  [Permission.AgentsWrite]: 'Create, change, start and stop AI agents',
  [Permission.ChatUse]: 'Use AI chat and generation tools',
  [Permission.ContentRead]: 'Read the content library and schedule',
  [Permission.ContentWrite]: 'Create, upload and schedule content',
  [Permission.AnalyticsRead]: 'Read analytics and statistics',
  [Permission.BillingManage]: 'Manage the subscription and payments',
  [Permission.SettingsRead]: 'Read workspace settings',
  [Permission.SettingsWrite]: 'Change workspace settings and integrations',
  [Permission.LogsRead]: 'Read audit, agent and error logs',
  [Permission.ApiKeysManage]: 'Create, list and revoke API keys',
  [Permission.UsersRead]: 'List the members of the workspace',
  [Permission.AdminUsers]: 'Invite, change, deactivate and remove members',
};

export enum Role {
  Owner = 'owner',
  Admin = 'admin',
  Member = 'member',
  Viewer = 'viewer',
}

const all = Object.values(Permission);
const readOnly = [
  Permission.LeadsRead,
  Permission.CampaignsRead,
  Permission.AgentsRead,
  Permission.ContentRead,
  Permission.AnalyticsRead,
  Permission.SettingsRead,
  Permission.UsersRead,
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  [Role.Owner]: all,
  [Role.Admin]: all,
  [Role.Member]: [
    ...readOnly,
    Permission.LeadsWrite,
    Permission.CampaignsWrite,
    Permission.AgentsWrite,
    Permission.ChatUse,
    Permission.ContentWrite,
  ],
  [Role.Viewer]: readOnly,
};

export const roleDescriptions: Record<Role, string> = {
  [Role.Owner]: 'Owns the workspace: every permission; cannot be removed or demoted',
  [Role.Admin]: 'Every permission, including members, billing and settings',
  [Role.Member]: 'Works on leads, campaigns, agents, chat and content; reads the rest',
  [Role.Viewer]: 'Reads leads, campaigns, agents, content, analytics and settings',
};

/** Roles an actor may hand out: nobody can grant more than they have, and only owners make owners. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === Role.Owner) return [Role.Admin, Role.Member, Role.Viewer];
  if (actor === Role.Admin) return [Role.Admin, Role.Member, Role.Viewer];
  return [];
}
