import { Body, Controller, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ACCESS_COOKIE,
  ApiErrors,
  AppConfig,
  CSRF_COOKIE,
  CsrfTokens,
  Authenticated,
  CurrentPrincipal,
  Principal,
  Public,
  RateLimit,
} from '@crescendo/platform';
import {
  LoginDto,
  LogoutDto,
  MeResponseDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  PasswordUpdateDto,
  RefreshDto,
  RegisterDto,
  RegisterResponseDto,
  SuccessMessageDto,
  TokenDelivery,
  TokenResponseDto,
} from './auth.dto';
import { AuthService, SignedIn } from './auth.service';
import { accessTokenOf } from './jwt.strategy';
import { IssuedSession, SessionService } from './session.service';

export const REFRESH_COOKIE = 'refreshToken';

/** The HttpOnly refresh cookie every sign-in sets (password, refresh, OAuth callback). */
export function setRefreshCookie(reply: FastifyReply, config: AppConfig, session: IssuedSession): void {
  reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    secure: config.env.COOKIE_SECURE,
    sameSite: config.env.COOKIE_SAMESITE,
    path: '/',
    expires: session.refreshExpiresAt,
  });
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
    private readonly csrf: CsrfTokens,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('signup')
  @ApiOperation({ summary: 'Create an account and its personal workspace' })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiErrors(400, 409, 429)
  register(@Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    return this.auth.register(dto);
  }

  @Post('signup')
  @Public()
  @RateLimit('signup')
  @ApiOperation({ summary: 'Same as register, under the path older clients call; acceptTerms must be true when sent' })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiErrors(400, 409, 429)
  signup(@Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({
    summary:
      'Sign in: access token in the answer, refresh token in an HttpOnly cookie; tokenDelivery=session opens a cookie session',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401, 429)
  async login(@Body() dto: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.respond(await this.auth.login(dto), reply, dto.tokenDelivery);
  }

  @Post('signin')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({ summary: 'Same as login, under the path older clients call' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401, 429)
  async signin(@Body() dto: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.respond(await this.auth.login(dto), reply, dto.tokenDelivery);
  }

  @Post('refresh')
  @Public()
  @ApiCookieAuth('refreshCookie')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the refresh token; presenting a rotated one again revokes the session' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401)
  async refresh(
    @Body() dto: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const presented = dto.refreshToken ?? request.cookies?.[REFRESH_COOKIE];
    try {
      return this.respond(await this.auth.refresh(presented), reply, dto.tokenDelivery);
    } catch (error) {
      this.clearCookie(reply);
      throw error;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the current session (refresh cookie, body token, or the Bearer token session)' })
  @ApiOkResponse({ type: SuccessMessageDto })
  @ApiErrors(400)
  async logout(
    @Body() dto: LogoutDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuccessMessageDto> {
    const presented = dto.refreshToken ?? request.cookies?.[REFRESH_COOKIE];
    await this.auth.logout(presented, this.bearerPrincipal(request));
    this.clearCookie(reply);
    return { success: true, message: 'Signed out' };
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user, current workspace, role and permissions' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeResponseDto> {
    return this.auth.me(principal);
  }

  @Post('password/reset')
  @Public()
  @HttpCode(202)
  @RateLimit('login')
  @ApiOperation({
    summary: 'Mail a single-use reset link valid one hour; same answer whether or not the e-mail exists',
  })
  @ApiAcceptedResponse({ type: SuccessMessageDto })
  @ApiErrors(400, 429)
  async requestPasswordReset(@Body() dto: PasswordResetRequestDto): Promise<SuccessMessageDto> {
    await this.auth.requestPasswordReset(dto.email);
    return { success: true, message: 'If an account exists for this e-mail, a reset link has been sent' };
  }

  @Post('password/reset/confirm')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({ summary: 'Set a new password with the mailed token; signs out every session' })
  @ApiOkResponse({ type: SuccessMessageDto })
  @ApiErrors(400, 429)
  async confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<SuccessMessageDto> {
    await this.auth.confirmPasswordReset(dto);
    return { success: true, message: 'Password updated; sign in with the new password' };
  }

  @Put('password/update')
  @Authenticated()
  @ApiOperation({ summary: 'Change the password (needs the current one); signs out the other sessions' })
  @ApiOkResponse({ type: SuccessMessageDto })
  @ApiErrors(400)
  async updatePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PasswordUpdateDto,
  ): Promise<SuccessMessageDto> {
    await this.auth.updatePassword(principal, dto);
    return { success: true, message: 'Password updated; your other sessions were signed out' };
  }

  private respond(signedIn: SignedIn, reply: FastifyReply, delivery: TokenDelivery = 'cookie'): TokenResponseDto {
    const { session, user } = signedIn;
    const env = this.config.env;
    const cookie = { secure: env.COOKIE_SECURE, sameSite: env.COOKIE_SAMESITE, path: '/' } as const;
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      ...cookie,
      httpOnly: true,
      expires: session.refreshExpiresAt,
    });
    const answer = { user, tokenType: 'Bearer', expiresIn: session.expiresIn };
    if (delivery !== 'session') {
      return {
        ...answer,
        accessToken: session.accessToken,
        ...(delivery === 'body' ? { refreshToken: session.refreshToken } : {}),
      };
    }
    // A cookie session: scripts never see the access token; they read the CSRF token and echo it.
    const csrfToken = this.csrf.tokenFor(session.familyId);
    reply.setCookie(ACCESS_COOKIE, session.accessToken, {
      ...cookie,
      path: '/api',
      httpOnly: true,
      expires: new Date(Date.now() + session.expiresIn * 1000),
    });
    reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookie, httpOnly: false, expires: session.refreshExpiresAt });
    return { ...answer, tokenType: 'Cookie', accessToken: '', csrfToken };
  }

  private clearCookie(reply: FastifyReply) {
    reply.clearCookie(REFRESH_COOKIE, { path: '/' });
    reply.clearCookie(ACCESS_COOKIE, { path: '/api' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  /** Logout is public (an expired access token must not stop a sign-out), so read the access token here. */
  private bearerPrincipal(request: FastifyRequest): Principal | undefined {
    const token = accessTokenOf(request);
    if (!token) return undefined;
    try {
      const payload = this.sessions.verifyAccessToken(token);
      return {
        kind: 'user',
        userId: payload.sub,
        workspaceId: payload.wid,
        sessionId: payload.sid,
        role: null,
        permissions: [],
      };
    } catch {
      return undefined;
    }
  }
}
