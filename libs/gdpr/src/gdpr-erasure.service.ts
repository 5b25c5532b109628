import { Injectable, Logger } from '@nestjs/common';
import { notFound, PersonalDataRegistry } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { IdentityPersonalData } from '@crescendo/identity';
import type { DeleteMyDataResponseDto } from './gdpr.dto';

/**
 * Erases a user: the workspaces they alone own are deleted with everything in them (each feature deletes its
 * own part); in workspaces they share, each feature erases their personal data and keeps the rest without them.
 */
@Injectable()
export class GdprErasureService {
  private readonly logger = new Logger(GdprErasureService.name);

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly identity: IdentityPersonalData,
    private readonly audit: AuditService,
  ) {}

  async eraseUser(userId: string): Promise<DeleteMyDataResponseDto> {
    const email = await this.identity.emailOf(userId);
    if (email === null) throw notFound('USER_NOT_FOUND', 'No such user');
    const workspaces = await this.identity.workspacesOf(userId);
    const deleted = workspaces.filter((w) => w.soleOwner).map((w) => w.workspaceId);
    const shared = workspaces.filter((w) => !w.soleOwner).map((w) => w.workspaceId);
    await this.identity.lockOut(userId);
    const providers = this.registry.list();
    for (const workspaceId of deleted) {
      for (const provider of providers) await provider.deleteWorkspace(workspaceId);
    }
    for (const provider of providers) {
      await provider.eraseUser(userId, { email, sharedWorkspaceIds: shared, deletedWorkspaceIds: deleted });
    }
    // The trail of the erasure names no one: counts only.
    await this.audit.record({
      type: LogType.Admin,
      action: 'gdpr.user_erased',
      ip: null,
      message: 'A user erased their account and personal data',
      userId: null,
      workspaceId: null,
      metadata: { deletedWorkspaces: deleted.length, sharedWorkspaces: shared.length },
    });
    this.logger.log({ deletedWorkspaces: deleted.length, sharedWorkspaces: shared.length }, 'User erased');
    return { success: true, message: 'All your data has been permanently deleted' };
  }
}
