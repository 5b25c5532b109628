import type { Permission, Role } from './permissions';

/**
 * Who is calling: a signed-in user in one of their workspaces, an API key of a workspace, or a signed
 * inbound webhook (no user: changes it makes have no actor).
 */
export interface Principal {
  kind: 'user' | 'api_key' | 'webhook';
  userId: string;
  workspaceId: string;
  role: Role | null;
  permissions: readonly Permission[];
  /** Refresh-token family (the session) an access token belongs to. */
  sessionId?: string;
  apiKeyId?: string;
  email?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
