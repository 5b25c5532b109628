import { WorkspacePlanService } from '../workspaces/workspace-plan.service';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  AppConfig,
  badRequest,
  conflict,
  CursorCodec,
  CursorPaginated,
  forbidden,
  MailService,
  notFound,
  Principal,
  queryBuilderList,
  randomToken,
  Role,
  sha256,
  unauthorized,
} from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { PasswordService } from '../auth/password.service';
import { PrincipalCache, userTag } from '../auth/principal.cache';
import { canGrantRole } from '../roles/role-policy';
import { UserEntity } from '../users/user.entity';
import { MembershipEntity, MembershipStatus } from '../workspaces/membership.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { identityMails } from '../identity-mails';
import { IdentityLookupsService } from '../lookups/identity-lookups.service';
import { InvitationEntity, InvitationStatus } from './invitation.entity';
import {
  AcceptedInvitationResponseDto,
  AcceptInvitationByTokenDto,
  InvitationResponseDto,
  ListInvitationsQueryDto,
  MyInvitationResponseDto,
} from './invitations.dto';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface InviteInput {
  email: string;
  role: Role;
  /** Only greets the person in the mail; never stored on an account. */
  name?: string;
}

interface PendingMail {
  workspaceId: string;
  email: string;
  greeting?: string;
  token: string;
  workspaceName: string;
  role: Role;
}

/**
 * Invitations to join a workspace. The inviter learns nothing about the invited e-mail (whether an
 * account exists, its name, its activity): every answer is the invitation itself. A membership is
 * created only when the invited person accepts, signed in as that e-mail or with the mailed token.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly config: AppConfig,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly principals: PrincipalCache,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(InvitationEntity) private readonly invitations: Repository<InvitationEntity>,
    private readonly seats: WorkspacePlanService,
    private readonly cursors: CursorCodec,
    private readonly lookups: IdentityLookupsService,
  ) {}

  async invite(principal: Principal, input: InviteInput): Promise<InvitationResponseDto> {
    assertCanGrant(principal, input.role);
    const token = randomToken(32);
    const { invitation, workspaceName } = await this.dataSource
      .transaction(async (manager) => {
        await this.expireStale(manager, principal.workspaceId, input.email);
        // The same query whatever the e-mail: whether an account exists elsewhere is never consulted apart.
        // A membership left `invited` by the former flow is not a member yet: accepting activates it.
        const [member] = await manager.query(
          `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.email = $2 AND m.status <> 'invited'`,
          [principal.workspaceId, input.email],
        );
        if (member) throw alreadyMember();
        await this.seats.assertSeatAvailable(manager, principal.workspaceId);
        const repo = manager.getRepository(InvitationEntity);
        if (
          await repo.exists({
            where: { workspaceId: principal.workspaceId, email: input.email, status: InvitationStatus.Pending },
          })
        ) {
          throw invitationPending();
        }
        const saved = await repo.save(
          repo.create({
            workspaceId: principal.workspaceId,
            email: input.email,
            role: input.role,
            status: InvitationStatus.Pending,
            tokenHash: sha256(token),
            expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
            invitedById: principal.userId || null,
            respondedAt: null,
          }),
        );
        const workspace = await manager
          .getRepository(WorkspaceEntity)
          .findOneOrFail({ where: { id: principal.workspaceId } });
        await this.audit.record(
          {
            type: LogType.Admin,
            action: 'user_invited',
            message: `${input.email} invited as ${input.role}`,
            metadata: { invitationId: saved.id, role: input.role },
          },
          manager,
        );
        return { invitation: saved, workspaceName: workspace.name };
      })
      .catch((error: unknown) => {
        // Two invitations of the same e-mail at once: the partial unique index answers for the loser.
        if ((error as { code?: string }).code === '23505') throw invitationPending();
        throw error;
      });
    await this.sendMail({
      workspaceId: principal.workspaceId,
      email: input.email,
      greeting: input.name,
      token,
      workspaceName,
      role: input.role,
    });
    return toInvitationResponse(invitation);
  }

  /** Newest first (IDX_invitations_list), by cursor or page number, with a bounded total. */
  listForWorkspace(
    workspaceId: string,
    query: ListInvitationsQueryDto,
  ): Promise<CursorPaginated<InvitationResponseDto>> {
    const qb = this.invitations.createQueryBuilder('i').where('i.workspaceId = :workspaceId', { workspaceId });
    // An expired invitation may still be stored as pending: filter on the state it reads as.
    if (query.status === InvitationStatus.Pending) qb.andWhere(`i.status = 'pending' AND i.expiresAt > now()`);
    else if (query.status === InvitationStatus.Expired) {
      qb.andWhere(`(i.status = 'expired' OR (i.status = 'pending' AND i.expiresAt <= now()))`);
    } else if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    return queryBuilderList(qb, {
      codec: this.cursors,
      // The filter is in the scope: a cursor of one state's list is refused by another's.
      scope: `${workspaceId}:invitations:${query.status ?? 'all'}`,
      request: query,
      order: { columns: ['i.created_at', 'i.id'], descending: true },
      map: toInvitationResponse,
    });
  }

  async revoke(principal: Principal, id: string): Promise<InvitationResponseDto> {
    const invitation = await this.dataSource.transaction(async (manager) => {
      const found = await this.lockForWorkspace(manager, principal.workspaceId, id);
      assertCanGrant(principal, found.role);
      if (found.status !== InvitationStatus.Pending) throw notPending(effectiveStatus(found));
      await manager
        .getRepository(InvitationEntity)
        .update(found.id, { status: InvitationStatus.Revoked, respondedAt: new Date() });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'invitation_revoked',
          message: `Invitation of ${found.email} revoked`,
          metadata: { invitationId: found.id },
        },
        manager,
      );
      return manager.getRepository(InvitationEntity).findOneByOrFail({ id: found.id });
    });
    return toInvitationResponse(invitation);
  }

  /** A new token and a new expiry, mailed again; the previous token stops working. */
  async resend(principal: Principal, id: string): Promise<InvitationResponseDto> {
    const token = randomToken(32);
    const { invitation, workspaceName } = await this.dataSource
      .transaction(async (manager) => {
        const found = await this.lockForWorkspace(manager, principal.workspaceId, id);
        assertCanGrant(principal, found.role);
        if (found.status !== InvitationStatus.Pending && found.status !== InvitationStatus.Expired) {
          throw notPending(found.status);
        }
        await manager.getRepository(InvitationEntity).update(found.id, {
          status: InvitationStatus.Pending,
          tokenHash: sha256(token),
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
          respondedAt: null,
        });
        const workspace = await manager
          .getRepository(WorkspaceEntity)
          .findOneOrFail({ where: { id: principal.workspaceId } });
        await this.audit.record(
          {
            type: LogType.Admin,
            action: 'invitation_resent',
            message: `Invitation of ${found.email} sent again`,
            metadata: { invitationId: found.id },
          },
          manager,
        );
        return {
          invitation: await manager.getRepository(InvitationEntity).findOneByOrFail({ id: found.id }),
          workspaceName: workspace.name,
        };
      })
      .catch((error: unknown) => {
        // An expired one sent again while a newer invitation of the same e-mail is pending.
        if ((error as { code?: string }).code === '23505') throw invitationPending();
        throw error;
      });
    await this.sendMail({
      workspaceId: principal.workspaceId,
      email: invitation.email,
      token,
      workspaceName,
      role: invitation.role,
    });
    return toInvitationResponse(invitation);
  }

  /** The signed-in person's pending invitations, to every workspace. */
  async mine(principal: Principal): Promise<MyInvitationResponseDto[]> {
    const email = signedInEmail(principal);
    const rows = await this.invitations
      .createQueryBuilder('i')
      .innerJoinAndSelect('i.workspace', 'w')
      .where(`i.email = :email AND i.status = 'pending' AND i.expiresAt > now()`, { email })
      .orderBy('i.createdAt', 'DESC')
      .addOrderBy('i.id', 'ASC')
      .take(100)
      .getMany();
    return rows.map((i) => ({
      id: i.id,
      workspace: { id: i.workspaceId, name: i.workspace?.name ?? '' },
      role: i.role,
      status: effectiveStatus(i),
      expiresAt: i.expiresAt.toISOString(),
      createdAt: i.createdAt.toISOString(),
    }));
  }

  async acceptById(principal: Principal, id: string): Promise<AcceptedInvitationResponseDto> {
    const email = signedInEmail(principal);
    const result = await this.dataSource.transaction(async (manager) => {
      const invitation = await this.lockMine(manager, email, id);
      return this.accept(manager, invitation, principal.userId, false);
    });
    await this.principals.invalidate(userTag(principal.userId));
    return result;
  }

  async declineById(principal: Principal, id: string): Promise<AcceptedInvitationResponseDto> {
    const email = signedInEmail(principal);
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.lockMine(manager, email, id);
      assertUsable(invitation, () => notPending(effectiveStatus(invitation)));
      await manager
        .getRepository(InvitationEntity)
        .update(invitation.id, { status: InvitationStatus.Declined, respondedAt: new Date() });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'invitation_declined',
          message: `${invitation.email} declined the invitation`,
          userId: principal.userId,
          workspaceId: invitation.workspaceId,
          metadata: { invitationId: invitation.id },
        },
        manager,
      );
      return {
        workspace: await this.workspaceOf(manager, invitation.workspaceId),
        role: invitation.role,
        status: InvitationStatus.Declined,
        accountCreated: false,
      };
    });
  }

  /**
   * Accepts with the mailed token, signed in or not: the token proves the mailbox. An e-mail without an
   * account (or an account without a password) sets its password here; an existing password is untouched.
   */
  async acceptByToken(dto: AcceptInvitationByTokenDto): Promise<AcceptedInvitationResponseDto> {
    // Hashed before any lock is taken; used only when the account needs a password.
    const passwordHash = dto.password ? await this.passwords.hash(dto.password) : null;
    const { result, userId } = await this.dataSource
      .transaction(async (manager) => {
        const invitation = await manager.getRepository(InvitationEntity).findOne({
          where: { tokenHash: sha256(dto.token) },
          lock: { mode: 'pessimistic_write' },
        });
        if (!invitation) throw tokenInvalid();
        assertUsable(invitation, tokenInvalid);
        const users = manager.getRepository(UserEntity);
        let user = await users.findOne({ where: { email: invitation.email } });
        let accountCreated = false;
        if (!user || !user.passwordHash) {
          const missing = [
            ...(passwordHash ? [] : [{ field: 'password', message: 'choose a password for your account' }]),
            ...(!user && !dto.name ? [{ field: 'name', message: 'your name for the new account' }] : []),
          ];
          if (missing.length) {
            throw badRequest(
              'ACCOUNT_SETUP_REQUIRED',
              'This invitation needs a password (and a name) to set up your account',
              missing,
            );
          }
          if (user) {
            await users.update(user.id, { passwordHash, ...(dto.name ? { name: dto.name } : {}) });
          } else {
            user = await users.save(users.create({ email: invitation.email, name: dto.name!, passwordHash }));
            accountCreated = true;
          }
        }
        const result = await this.accept(manager, invitation, user.id, accountCreated);
        return { result, userId: user.id };
      })
      .catch((error: unknown) => {
        // The account was created by a concurrent registration of the same e-mail.
        if ((error as { code?: string }).code === '23505')
          throw conflict(
            'EMAIL_TAKEN',
            'An account with this e-mail was just created; sign in and accept the invitation',
          );
        throw error;
      });
    await this.principals.invalidate(userTag(userId));
    return result;
  }

  private async accept(
    manager: EntityManager,
    invitation: InvitationEntity,
    userId: string,
    accountCreated: boolean,
  ): Promise<AcceptedInvitationResponseDto> {
    assertUsable(invitation, () => notPending(effectiveStatus(invitation)));
    const memberships = manager.getRepository(MembershipEntity);
    const existing = await memberships.findOne({ where: { workspaceId: invitation.workspaceId, userId } });
    if (existing && existing.status !== MembershipStatus.Invited) throw alreadyMember();
    if (existing) {
      // A membership invited before invitations had their own table: accepting activates it.
      await memberships.update(existing.id, { status: MembershipStatus.Active, role: invitation.role });
    } else {
      await memberships.insert({
        workspaceId: invitation.workspaceId,
        userId,
        role: invitation.role,
        status: MembershipStatus.Active,
        invitedById: invitation.invitedById,
      });
    }
    await manager
      .getRepository(InvitationEntity)
      .update(invitation.id, { status: InvitationStatus.Accepted, respondedAt: new Date() });
    await this.audit.record(
      {
        type: LogType.Admin,
        action: 'invitation_accepted',
        message: `${invitation.email} joined as ${invitation.role}`,
        userId,
        workspaceId: invitation.workspaceId,
        metadata: { invitationId: invitation.id, targetUserId: userId, role: invitation.role, accountCreated },
      },
      manager,
    );
    return {
      workspace: await this.workspaceOf(manager, invitation.workspaceId),
      role: invitation.role,
      status: InvitationStatus.Accepted,
      accountCreated,
    };
  }

  private async expireStale(manager: EntityManager, workspaceId: string, email: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(InvitationEntity)
      .set({ status: InvitationStatus.Expired, respondedAt: () => 'now()' })
      .where(`workspace_id = :workspaceId AND email = :email AND status = 'pending' AND expires_at <= now()`, {
        workspaceId,
        email,
      })
      .execute();
  }

  private async lockForWorkspace(manager: EntityManager, workspaceId: string, id: string): Promise<InvitationEntity> {
    const found = await manager
      .getRepository(InvitationEntity)
      .findOne({ where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw invitationNotFound();
    return found;
  }

  private async lockMine(manager: EntityManager, email: string, id: string): Promise<InvitationEntity> {
    const found = await manager
      .getRepository(InvitationEntity)
      .findOne({ where: { id, email }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw invitationNotFound();
    return found;
  }

  private async workspaceOf(manager: EntityManager, workspaceId: string) {
    const workspace = await manager.getRepository(WorkspaceEntity).findOneOrFail({ where: { id: workspaceId } });
    return { id: workspace.id, name: workspace.name };
  }

  private async sendMail(mail: PendingMail): Promise<void> {
    // One text whether or not the e-mail has an account: the link works for both. Its language: the account's
    // (when the e-mail has one), else the workspace's default.
    const link = `${this.config.env.APP_URL}/#/invitations/accept?token=${encodeURIComponent(mail.token)}`;
    const language = await this.mail.languageOf(await this.lookups.userIdByEmail(mail.email), mail.workspaceId);
    await this.mail.send({
      workspaceId: mail.workspaceId,
      to: mail.email,
      template: 'invitation',
      ...identityMails(language).invitation({
        greeting: mail.greeting,
        workspaceName: mail.workspaceName,
        role: mail.role,
        link,
        token: mail.token,
      }),
    });
  }
}

export function effectiveStatus(invitation: InvitationEntity): InvitationStatus {
  return invitation.status === InvitationStatus.Pending && invitation.expiresAt.getTime() <= Date.now()
    ? InvitationStatus.Expired
    : invitation.status;
}

export function toInvitationResponse(invitation: InvitationEntity): InvitationResponseDto {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: effectiveStatus(invitation),
    expiresAt: invitation.expiresAt.toISOString(),
    invitedById: invitation.invitedById,
    createdAt: invitation.createdAt.toISOString(),
    respondedAt: invitation.respondedAt?.toISOString() ?? null,
  };
}

function assertUsable(invitation: InvitationEntity, error: () => Error): void {
  if (effectiveStatus(invitation) !== InvitationStatus.Pending) throw error();
}

function assertCanGrant(principal: Principal, role: Role): void {
  if (!canGrantRole(principal, role)) {
    throw forbidden('ROLE_NOT_ASSIGNABLE', `You cannot assign or manage the role ${role}`, [
      { field: 'role', message: `not assignable by the caller: ${role}` },
    ]);
  }
}

function signedInEmail(principal: Principal): string {
  if (principal.kind !== 'user' || !principal.email) {
    throw unauthorized('USER_TOKEN_REQUIRED', 'Only a signed-in person answers their own invitations');
  }
  return principal.email;
}

const alreadyMember = () => conflict('USER_ALREADY_MEMBER', 'This e-mail already belongs to a member of the workspace');
const invitationPending = () =>
  conflict('INVITATION_PENDING', 'This e-mail already has a pending invitation to the workspace (resend it instead)');
const invitationNotFound = () => notFound('INVITATION_NOT_FOUND', 'Invitation not found');
const notPending = (status: InvitationStatus) =>
  conflict('INVITATION_NOT_PENDING', `This invitation is ${status}`, [{ field: 'status', message: status }]);
const tokenInvalid = () =>
  badRequest('INVITATION_TOKEN_INVALID', 'This invitation link is invalid, expired, revoked or already used', [
    { field: 'token', message: 'invalid, expired, revoked or already used' },
  ]);
