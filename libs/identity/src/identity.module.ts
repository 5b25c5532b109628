import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, CsrfTokens, KnownCredentials, loginThrottleProvider, MailModule } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { ApiKeyStrategy } from './auth/api-key.strategy';
import { JwtAccessStrategy, KnownAccessTokens } from './auth/jwt.strategy';
import { OneTimeTokenEntity } from './auth/one-time-token.entity';
import { PasswordService } from './auth/password.service';
import { PassportStrategies } from './auth/passport-strategies';
import { PrincipalResolver } from './auth/principal.resolver';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { accessTokenKey, SessionService, VerifiedTokens } from './auth/session.service';
import { RolesController } from './roles/roles.controller';
import { RolesService } from './roles/roles.service';
import { UserEntity } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { MembershipEntity } from './workspaces/membership.entity';
import { WorkspaceEntity } from './workspaces/workspace.entity';
import { WorkspaceMembersService } from './workspaces/workspace-members.service';
import { PrincipalCache } from './auth/principal.cache';
import { InvitationEntity } from './invitations/invitation.entity';
import { InvitationsController, WorkspaceInvitationsController } from './invitations/invitations.controller';
import { InvitationsService } from './invitations/invitations.service';
import { OAuthIdentityEntity } from './auth/oauth-identity.entity';
import { OAuthController } from './auth/oauth/oauth.controller';
import { OAuthService } from './auth/oauth/oauth.service';
import { OAuthStateStore } from './auth/oauth/oauth-state.store';
import { GitHubOAuthStrategy, GoogleOAuthStrategy } from './auth/oauth/oauth.strategies';
import { IdentityLookupsService } from './lookups/identity-lookups.service';
import { WorkspacePlanService } from './workspaces/workspace-plan.service';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { WorkspacesService } from './workspaces/workspaces.service';
import { IdentityPersonalData } from './identity-personal-data.provider';
import { UserDirectory } from './users/user-directory.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      UserEntity,
      WorkspaceEntity,
      MembershipEntity,
      RefreshTokenEntity,
      OneTimeTokenEntity,
      ApiKeyEntity,
      InvitationEntity,
      OAuthIdentityEntity,
    ]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        privateKey: accessTokenKey(config),
        publicKey: accessTokenKey(config),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    MailModule,
    AuditModule,
  ],
  controllers: [
    AuthController,
    OAuthController,
    WorkspaceInvitationsController,
    UsersController,
    InvitationsController,
    RolesController,
    ApiKeysController,
    WorkspacesController,
  ],
  providers: [
    AuthService,
    SessionService,
    PasswordService,
    loginThrottleProvider,
    PrincipalResolver,
    PrincipalCache,
    VerifiedTokens,
    CsrfTokens,
    // Registered with passport when constructed; the global AuthenticationGuard asks them by name.
    ApiKeyStrategy,
    JwtAccessStrategy,
    { provide: KnownCredentials, useClass: KnownAccessTokens },
    OAuthStateStore,
    OAuthService,
    // A provider's strategy exists (and is registered with passport) only when its client id is set.
    {
      provide: GoogleOAuthStrategy,
      inject: [AppConfig, OAuthStateStore],
      useFactory: (config: AppConfig, store: OAuthStateStore) =>
        config.env.GOOGLE_CLIENT_ID ? new GoogleOAuthStrategy(config, store) : null,
    },
    {
      provide: GitHubOAuthStrategy,
      inject: [AppConfig, OAuthStateStore],
      useFactory: (config: AppConfig, store: OAuthStateStore) =>
        config.env.GITHUB_CLIENT_ID ? new GitHubOAuthStrategy(config, store) : null,
    },
    // Puts this app's strategies back in passport's process-wide registry on init, hands them back on close.
    PassportStrategies,
    ApiKeysService,
    UsersService,
    InvitationsService,
    RolesService,
    IdentityLookupsService,
    WorkspaceMembersService,
    WorkspacePlanService,
    WorkspacesService,
    IdentityPersonalData,
    UserDirectory,
  ],
  exports: [
    KnownCredentials,
    IdentityPersonalData,
    UserDirectory,
    CsrfTokens,
    SessionService,
    PasswordService,
    ApiKeysService,
    IdentityLookupsService,
    WorkspaceMembersService,
    WorkspacePlanService,
    TypeOrmModule,
  ],
})
export class IdentityModule {}
