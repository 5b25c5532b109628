import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, effectivePlan, forbidden, Role, type PlanLimits } from '@crescendo/platform';

export interface BillingContact {
  userId: string;
  email: string;
  name: string;
}

/**
 * What billing may read and change of a workspace: its plan (the entitlements every feature reads), its seats
 * and who is told about payments. Billing never writes identity's tables itself.
 */
/** Seats taken: members (active, or invited by the former flow) and invitations still waiting for an answer. */
const SEATS_USED_SQL = `SELECT ((SELECT count(*) FROM memberships WHERE workspace_id = $1 AND status IN ('active', 'invited'))
     + (SELECT count(*) FROM invitations WHERE workspace_id = $1 AND status = 'pending' AND expires_at > now()))::int
       AS used`;

@Injectable()
export class WorkspacePlanService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async exists(workspaceId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM workspaces WHERE id = $1`, [workspaceId]);
    return rows.length > 0;
  }

  async planOf(workspaceId: string): Promise<string> {
    const [row] = await this.db.query<{ plan: string }[]>(`SELECT plan FROM workspaces WHERE id = $1`, [workspaceId]);
    return row?.plan ?? 'free';
  }

  /** What the workspace's plan grants (unknown plans: the free plan's limits). */
  async limitsOf(workspaceId: string): Promise<PlanLimits> {
    return effectivePlan(this.config.billingCatalogue, await this.planOf(workspaceId)).limits;
  }

  /**
   * Puts the workspace on a plan, in the caller's transaction; the owner's `users.subscription` follows, so
   * the sign-in answers tell the truth. Answers whether the plan changed.
   */
  async setPlan(manager: EntityManager, workspaceId: string, plan: string): Promise<boolean> {
    // An UPDATE answers [rows, affected].
    const [, changed] = (await manager.query(
      `UPDATE workspaces SET plan = $2, updated_at = now() WHERE id = $1 AND plan <> $2`,
      [workspaceId, plan],
    )) as [unknown, number];
    await manager.query(
      `UPDATE users SET subscription = $2, updated_at = now()
        WHERE id = (SELECT owner_id FROM workspaces WHERE id = $1) AND subscription <> $2`,
      [workspaceId, plan],
    );
    return changed > 0;
  }

  /** Members holding a seat: active and invited ones. */
  async seatsUsed(workspaceId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(SEATS_USED_SQL.replace('AS used', 'AS n'), [workspaceId]);
    return row?.n ?? 0;
  }

  /**
   * Refuses (403 SEAT_LIMIT_REACHED) one more active or invited member past the plan's seats. The workspace row
   * is locked until the caller's transaction ends, so concurrent invitations cannot pass the limit together.
   */
  async assertSeatAvailable(manager: EntityManager, workspaceId: string): Promise<void> {
    const [workspace] = await manager.query<{ plan: string }[]>(
      `SELECT plan FROM workspaces WHERE id = $1 FOR UPDATE`,
      [workspaceId],
    );
    const allowed = effectivePlan(this.config.billingCatalogue, workspace?.plan ?? 'free').limits.seats;
    if (allowed === null) return;
    const [{ used }] = await manager.query<{ used: number }[]>(SEATS_USED_SQL, [workspaceId]);
    if (used >= allowed) {
      throw forbidden(
        'SEAT_LIMIT_REACHED',
        `The ${workspace?.plan ?? 'free'} plan has ${allowed} seats, all taken: upgrade the plan or deactivate a member`,
        [{ field: 'seats', message: `${used} of ${allowed} seats taken` }],
      );
    }
  }

  /** Active owners and admins: who hears about failed payments. */
  async billingContacts(workspaceId: string): Promise<BillingContact[]> {
    return this.db.query<BillingContact[]>(
      `SELECT u.id AS "userId", u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = $1 AND m.status = 'active' AND m.role IN ($2, $3)
        ORDER BY m.created_at, m.id`,
      [workspaceId, Role.Owner, Role.Admin],
    );
  }
}
