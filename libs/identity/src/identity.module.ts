import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, AUTHENTICATOR, loginThrottleProvider, MailModule } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { CredentialAuthenticator } from './auth/credential.authenticator';
import { OneTimeTokenEntity } from './auth/one-time-token.entity';
import { PasswordService } from './auth/password.service';
import { PrincipalResolver } from './auth/principal.resolver';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { accessTokenKey, SessionService } from './auth/session.service';
import { RolesController } from './roles/roles.controller';
import { RolesService } from './roles/roles.service';
import { UserEntity } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { MembershipEntity } from './workspaces/membership.entity';
import { WorkspaceEntity } from './workspaces/workspace.entity';
import { PrincipalCache } from './auth/principal.cache';
import { InvitationEntity } from './invitations/invitation.entity';
import { InvitationsController, WorkspaceInvitationsController } from './invitations/invitations.controller';
import { InvitationsService } from './invitations/invitations.service';
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
    WorkspaceInvitationsController,
    UsersController,
    InvitationsController,
    RolesController,
    ApiKeysController,
  ],
  providers: [
    AuthService,
    SessionService,
    PasswordService,
    loginThrottleProvider,
    PrincipalResolver,
    PrincipalCache,
    CredentialAuthenticator,
    { provide: AUTHENTICATOR, useExisting: CredentialAuthenticator },
    ApiKeysService,
    UsersService,
    InvitationsService,
    RolesService,
    IdentityPersonalData,
    UserDirectory,
  ],
  exports: [
    IdentityPersonalData,
    UserDirectory,
    AUTHENTICATOR,
    SessionService,
    PasswordService,
    ApiKeysService,
    TypeOrmModule,
  ],
})
export class IdentityModule {}
