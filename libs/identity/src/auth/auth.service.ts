import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  AppConfig,
  badRequest,
  conflict,
  currentRequest,
  LoginThrottle,
  MailService,
  Principal,
  randomToken,
  Role,
  sha256,
  unauthorized,
} from '@crescendo/platform';
import { AuditService, LogLevel, LogType } from '@crescendo/audit';
import { UserEntity } from '../users/user.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { MembershipEntity, MembershipStatus } from '../workspaces/membership.entity';
import { OneTimeTokenEntity } from './one-time-token.entity';
import { PasswordService } from './password.service';
import { ClientInfo, IssuedSession, SessionService } from './session.service';
import type {
  LoginDto,
  MeResponseDto,
  PasswordResetConfirmDto,
  PasswordUpdateDto,
  RegisterDto,
  RegisterResponseDto,
  UserSummaryDto,
} from './auth.dto';
import { toUserSummary } from '../users/user.mapper';
import { identityMails } from '../identity-mails';
import { IdentityLookupsService } from '../lookups/identity-lookups.service';

const RESET_TTL_MS = 60 * 60 * 1000;

export interface SignedIn {
  session: IssuedSession;
  user: UserSummaryDto;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    @InjectRepository(OneTimeTokenEntity) private readonly oneTimeTokens: Repository<OneTimeTokenEntity>,
    private readonly lookups: IdentityLookupsService,
  ) {}

  /** Creates the user and their personal workspace, where they are owner, in one transaction. */
  async register(dto: RegisterDto): Promise<RegisterResponseDto> {
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await this.dataSource
      .transaction(async (manager) => {
        const existing = await manager.getRepository(UserEntity).findOne({ where: { email: dto.email } });
        if (existing) throw conflict('EMAIL_TAKEN', 'An account with this e-mail already exists');
        return this.createAccount(manager, {
          email: dto.email,
          name: dto.name,
          passwordHash,
          termsAcceptedAt: dto.acceptTerms ? new Date() : null,
        });
      })
      .catch((error: unknown) => {
        // Two registrations racing on the same e-mail: the unique index answers for the loser.
        if ((error as { code?: string }).code === '23505')
          throw conflict('EMAIL_TAKEN', 'An account with this e-mail already exists');
        throw error;
      });
    return { success: true, message: 'Account created', userId: user.id, user: toUserSummary(user) };
  }

  /**
   * Inside the caller's transaction: the user, their personal workspace and their owner membership, and
   * the `register` audit entry (`via` names an OAuth provider when the account came from one).
   */
  async createAccount(
    manager: EntityManager,
    account: { email: string; name: string; passwordHash: string | null; termsAcceptedAt: Date | null },
    via?: string,
  ): Promise<UserEntity> {
    const users = manager.getRepository(UserEntity);
    const created = await users.save(
      users.create({
        email: account.email,
        name: account.name.trim(),
        passwordHash: account.passwordHash,
        termsAcceptedAt: account.termsAcceptedAt,
      }),
    );
    const workspace = await manager
      .getRepository(WorkspaceEntity)
      .save(
        manager.getRepository(WorkspaceEntity).create({ name: `${created.name}'s workspace`, ownerId: created.id }),
      );
    await manager.getRepository(MembershipEntity).insert({
      workspaceId: workspace.id,
      userId: created.id,
      role: Role.Owner,
      status: MembershipStatus.Active,
    });
    await this.audit.record(
      {
        type: LogType.Auth,
        action: 'register',
        message: `Account ${created.email} registered${via ? ` with ${via}` : ''}`,
        userId: created.id,
        workspaceId: workspace.id,
        ...(via ? { metadata: { via } } : {}),
      },
      manager,
    );
    return created;
  }

  /**
   * Opens a session for a user whose identity another way proved (an OAuth provider): the same session,
   * workspace choice and audit entry as a password sign-in.
   */
  async signInVerified(user: UserEntity, via: string): Promise<SignedIn> {
    const membership = await this.defaultMembership(user.id);
    if (!membership) throw unauthorized('ACCOUNT_DISABLED', 'This account is deactivated');
    const session = await this.sessions.start(user.id, membership.workspaceId, false, clientOf());
    await this.users.update(user.id, { lastLoginAt: new Date() });
    await this.audit.record({
      type: LogType.Auth,
      action: 'login_success',
      message: `${user.email} signed in with ${via}`,
      userId: user.id,
      workspaceId: membership.workspaceId,
      metadata: { via },
    });
    return { session, user: toUserSummary(user) };
  }

  async login(dto: LoginDto): Promise<SignedIn> {
    await this.throttle.attempt(dto.email, clientAddress());
    const user = await this.users.findOne({ where: { email: dto.email } });
    // Unknown e-mails and password-less accounts are checked against a dummy hash: same time as a known one.
    const valid = await this.passwords.verify(user?.passwordHash ?? null, dto.password);
    if (valid) await this.throttle.succeeded(dto.email, clientAddress());
    if (!user || !valid) {
      // A failed sign-in on a known account shows in that account's workspace log.
      const target = user ? await this.defaultMembership(user.id) : null;
      await this.audit.record({
        type: LogType.Auth,
        level: LogLevel.Warn,
        action: 'login_failed',
        message: `Failed sign-in for ${dto.email}`,
        userId: user?.id ?? null,
        workspaceId: target?.workspaceId ?? null,
        metadata: { email: dto.email, reason: user ? 'bad_password' : 'unknown_email' },
      });
      throw unauthorized('INVALID_CREDENTIALS', 'E-mail or password is incorrect');
    }
    const membership = await this.defaultMembership(user.id);
    if (!membership) {
      await this.audit.record({
        type: LogType.Auth,
        level: LogLevel.Warn,
        action: 'login_failed',
        message: `Sign-in refused for deactivated account ${user.email}`,
        userId: user.id,
        workspaceId: null,
        metadata: { reason: 'deactivated' },
      });
      throw unauthorized('ACCOUNT_DISABLED', 'This account is deactivated');
    }
    const session = await this.sessions.start(user.id, membership.workspaceId, dto.rememberMe ?? false, clientOf());
    await this.users.update(user.id, { lastLoginAt: new Date() });
    await this.audit.record({
      type: LogType.Auth,
      action: 'login_success',
      message: `${user.email} signed in`,
      userId: user.id,
      workspaceId: membership.workspaceId,
      metadata: { rememberMe: dto.rememberMe ?? false },
    });
    return { session, user: toUserSummary(user, membership.workspace?.plan) };
  }

  async refresh(presented: string | undefined): Promise<SignedIn> {
    if (!presented)
      throw unauthorized('REFRESH_TOKEN_MISSING', 'Send the refresh token as the refreshToken cookie or in the body');
    const known = await this.sessions.familyOf(presented);
    if (known) {
      const membership = await this.memberships.findOne({
        where: { userId: known.userId, workspaceId: known.workspaceId },
      });
      if (membership?.status !== MembershipStatus.Active) {
        throw unauthorized('ACCOUNT_DISABLED', 'This account is deactivated in this workspace');
      }
    }
    const session = await this.sessions.rotate(presented, clientOf());
    const user = await this.users.findOneOrFail({ where: { id: session.userId } });
    const membership = await this.memberships.findOne({
      where: { userId: session.userId, workspaceId: session.workspaceId },
      relations: { workspace: true },
    });
    return { session, user: toUserSummary(user, membership?.workspace?.plan) };
  }

  /** Signs out the session of the presented refresh token, or else of the access token. */
  async logout(presented: string | undefined, principal: Principal | undefined): Promise<void> {
    const token = presented ? await this.sessions.familyOf(presented) : null;
    const familyId = token?.familyId ?? principal?.sessionId;
    if (!familyId) return;
    await this.sessions.revokeFamily(familyId, 'logout');
    await this.audit.record({
      type: LogType.Auth,
      action: 'logout',
      message: 'Signed out',
      userId: token?.userId ?? principal?.userId ?? null,
      workspaceId: token?.workspaceId ?? principal?.workspaceId ?? null,
    });
  }

  async me(principal: Principal): Promise<MeResponseDto> {
    const user = await this.users.findOneOrFail({ where: { id: principal.userId } });
    const memberships = await this.memberships.find({
      where: { userId: principal.userId, status: MembershipStatus.Active },
      relations: { workspace: true },
      order: { createdAt: 'ASC' },
    });
    const workspaces = memberships.map((m) => ({ id: m.workspaceId, name: m.workspace?.name ?? '', role: m.role }));
    const current = workspaces.find((w) => w.id === principal.workspaceId) ?? {
      id: principal.workspaceId,
      name: '',
      role: principal.role ?? Role.Viewer,
    };
    return {
      user: toUserSummary(user, memberships.find((m) => m.workspaceId === principal.workspaceId)?.workspace?.plan),
      workspace: current,
      permissions: [...principal.permissions],
      workspaces,
      instanceAdmin: this.config.adminEmails.includes(user.email),
      // Only users and API keys reach /me (a webhook principal exists inside its request only).
      authenticatedBy: principal.kind === 'user' ? 'user' : 'api_key',
    };
  }

  /** Mails a single-use link valid one hour. Answers the same whether or not the e-mail exists. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.users.findOne({ where: { email } });
    if (!user) return;
    const token = randomToken(32);
    await this.oneTimeTokens.insert({
      userId: user.id,
      purpose: 'password_reset',
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + RESET_TTL_MS),
    });
    const link = `${this.config.env.APP_URL}/#/reset-password?token=${encodeURIComponent(token)}`;
    // No workspace asked for it: their own language, else that of the first workspace they are active in.
    const first = await this.lookups.firstMembership(user.id);
    const language = await this.mail.languageOf(user.id, first?.workspaceId ?? null);
    await this.mail.send({
      to: user.email,
      template: 'password_reset',
      ...identityMails(language).passwordReset({ name: user.name, link, token }),
    });
    await this.audit.record({
      type: LogType.Auth,
      action: 'password_reset_requested',
      message: `Password reset requested for ${user.email}`,
      userId: user.id,
    });
  }

  /** Sets a new password with a reset or invitation token; every existing session is signed out. */
  async confirmPasswordReset(dto: PasswordResetConfirmDto): Promise<void> {
    const passwordHash = await this.passwords.hash(dto.password);
    const userId = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(OneTimeTokenEntity);
      const token = await repo.findOne({
        where: { tokenHash: sha256(dto.token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!token || token.usedAt || token.expiresAt.getTime() <= Date.now()) {
        throw badRequest('RESET_TOKEN_INVALID', 'This reset link is invalid, expired or already used', [
          { field: 'token', message: 'invalid, expired or already used' },
        ]);
      }
      await repo.update(token.id, { usedAt: new Date() });
      await manager.getRepository(UserEntity).update(token.userId, { passwordHash });
      if (token.purpose === 'invitation') {
        await manager
          .getRepository(MembershipEntity)
          .update({ userId: token.userId, status: MembershipStatus.Invited }, { status: MembershipStatus.Active });
      }
      return token.userId;
    });
    await this.sessions.revokeAllForUser(userId, 'password_reset');
    await this.audit.record({
      type: LogType.Auth,
      action: 'password_reset',
      message: 'Password set with a reset token; all sessions signed out',
      userId,
    });
  }

  /** Changes the password after checking the current one; the caller's other sessions are signed out. */
  async updatePassword(principal: Principal, dto: PasswordUpdateDto): Promise<void> {
    if (principal.kind !== 'user') throw unauthorized('USER_TOKEN_REQUIRED', 'An API key cannot change a password');
    const user = await this.users.findOneOrFail({ where: { id: principal.userId } });
    if (!(await this.passwords.verify(user.passwordHash, dto.currentPassword))) {
      await this.audit.record({
        type: LogType.Auth,
        level: LogLevel.Warn,
        action: 'password_update_failed',
        message: 'Password change refused: wrong current password',
      });
      throw badRequest('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect', [
        { field: 'currentPassword', message: 'incorrect' },
      ]);
    }
    await this.users.update(user.id, { passwordHash: await this.passwords.hash(dto.newPassword) });
    await this.sessions.revokeAllForUser(user.id, 'password_changed', principal.sessionId);
    await this.audit.record({
      type: LogType.Auth,
      action: 'password_updated',
      message: 'Password changed; other sessions signed out',
    });
  }

  /** The workspace a sign-in lands in: the user's own if active, else the oldest active membership. */
  private async defaultMembership(userId: string): Promise<MembershipEntity | null> {
    const active = await this.memberships.find({
      where: { userId, status: MembershipStatus.Active },
      relations: { workspace: true },
      order: { createdAt: 'ASC' },
    });
    return active.find((m) => m.workspace?.ownerId === userId) ?? active[0] ?? null;
  }
}

/** The caller's address and user agent, from the request context (none outside HTTP, e.g. the demo seeder). */
export function clientOf(): ClientInfo {
  const request = currentRequest();
  return { ip: request?.ip ?? undefined, userAgent: request?.userAgent ?? undefined };
}

/** The login throttle's per-address key; every HTTP request has a context, so 'unknown' is only for scripts. */
function clientAddress(): string {
  return currentRequest()?.ip ?? 'unknown';
}
