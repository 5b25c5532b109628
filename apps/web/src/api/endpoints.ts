import {
  confirmPasswordReset,
  login,
  logout,
  me,
  register,
  requestPasswordReset,
  updatePassword,
  type LoginDto,
  type MeResponseDto,
  type RegisterDto,
} from '@crescendo/api-client';
import { client } from './client';
import { unwrap } from './errors';

/*
 * Every call the SPA makes. Auth routes use the generated sdk functions. The routes other
 * engineers are still adding (api keys, users, roles, settings) go through the same generated
 * client instance (same base URL, token interceptor and refresh) with local types that mirror
 * their DTOs, until the regenerated client carries them: then swap each for its sdk function.
 */

export type Me = MeResponseDto;
export type PermissionName = MeResponseDto['permissions'][number];
export type RoleName = MeResponseDto['workspace']['role'];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: PermissionName[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
export interface CreatedApiKey extends ApiKey {
  key: string;
}
export interface CreateApiKeyInput {
  name: string;
  scopes: PermissionName[];
  expiresAt?: string;
}
export interface PermissionInfo {
  name: PermissionName;
  description: string;
  roles?: RoleName[];
}
export interface RoleInfo {
  name: RoleName;
  description: string;
  permissions: PermissionName[];
  assignable?: boolean;
}
export type MemberStatus = 'active' | 'invited' | 'inactive';
export interface Member {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  status: MemberStatus;
  avatarUrl?: string | null;
  createdAt?: string;
  joinedAt?: string;
  lastLoginAt?: string | null;
}
/** The owner role is never given: it comes with creating the workspace. */
export type AssignableRole = Exclude<RoleName, 'owner'>;
export interface CreateMemberInput {
  email: string;
  name: string;
  role: AssignableRole;
  password?: string;
}
export interface Profile {
  name?: string;
  email?: string;
  bio?: string | null;
  timezone?: string | null;
  [key: string]: unknown;
}
export type ManagementSettings = Record<string, unknown>;

/** Lists come as `{ data, pagination }`; some older routes answer a bare array. */
function items<T>(answer: unknown): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const data = (answer as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? (data as T[]) : [];
}
/** Management routes answer `{ success, data }`. */
function payload<T>(answer: unknown): T {
  const wrapped = answer as { success?: boolean; data?: T } | undefined;
  return (wrapped && typeof wrapped === 'object' && 'data' in wrapped ? wrapped.data : answer) as T;
}

const json = { 'Content-Type': 'application/json' };

export const api = {
  // --- auth (generated sdk) ---
  login: (body: LoginDto) => unwrap(login({ body })),
  register: (body: RegisterDto) => unwrap(register({ body })),
  logout: () => unwrap(logout({ body: {} })),
  me: () => unwrap(me()),
  requestPasswordReset: (email: string) => unwrap(requestPasswordReset({ body: { email } })),
  confirmPasswordReset: (token: string, password: string) =>
    unwrap(confirmPasswordReset({ body: { token, password } })),
  updatePassword: (currentPassword: string, newPassword: string) =>
    unwrap(updatePassword({ body: { currentPassword, newPassword } })),

  // --- api keys ---
  listApiKeys: async () =>
    items<ApiKey>(await unwrap(client.get<{ 200: unknown }>({ url: '/api/security/api-keys', query: { limit: 100 } }))),
  createApiKey: (body: CreateApiKeyInput) =>
    unwrap(client.post<{ 201: CreatedApiKey }>({ url: '/api/security/api-keys', body, headers: json })),
  revokeApiKey: (id: string) =>
    unwrap(client.delete<{ 204: unknown }>({ url: '/api/security/api-keys/{id}', path: { id } })),

  // --- roles & permissions ---
  listRoles: async () => items<RoleInfo>(await unwrap(client.get<{ 200: unknown }>({ url: '/api/roles' }))),
  listPermissions: async () =>
    items<PermissionInfo>(await unwrap(client.get<{ 200: unknown }>({ url: '/api/permissions' }))),

  // --- users ---
  listUsers: async () =>
    items<Member>(await unwrap(client.get<{ 200: unknown }>({ url: '/api/users', query: { limit: 100 } }))),
  createUser: (body: CreateMemberInput) =>
    unwrap(client.post<{ 201: Member }>({ url: '/api/users', body, headers: json })),
  updateUser: (id: string, body: { role?: AssignableRole; name?: string }) =>
    unwrap(client.put<{ 200: Member }>({ url: '/api/users/{id}', path: { id }, body, headers: json })),
  updateUserStatus: (id: string, status: Exclude<MemberStatus, 'invited'>) =>
    unwrap(
      client.put<{ 200: Member }>({ url: '/api/users/{id}/status', path: { id }, body: { status }, headers: json }),
    ),
  deleteUser: (id: string) => unwrap(client.delete<{ 204: unknown }>({ url: '/api/users/{id}', path: { id } })),

  // --- profile & management settings ---
  getProfile: async () =>
    payload<Profile>(await unwrap(client.get<{ 200: unknown }>({ url: '/api/management/profile' }))),
  updateProfile: async (body: { name?: string; bio?: string | null; timezone?: string }) =>
    payload<Profile>(
      await unwrap(client.put<{ 200: unknown }>({ url: '/api/management/profile', body, headers: json })),
    ),
  getManagementSettings: async () =>
    payload<ManagementSettings>(await unwrap(client.get<{ 200: unknown }>({ url: '/api/management/settings' }))),
  updateManagementSettings: async (body: ManagementSettings) =>
    payload<ManagementSettings>(
      await unwrap(client.put<{ 200: unknown }>({ url: '/api/management/settings', body, headers: json })),
    ),
};
