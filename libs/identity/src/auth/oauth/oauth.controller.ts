import { Controller, Get, Param, Redirect, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, AppConfig, Public } from '@crescendo/platform';
import { setRefreshCookie } from '../auth.controller';
import { OAUTH_STATE_COOKIE, OAUTH_STATE_TTL_SECONDS, OAuthStateStore } from './oauth-state.store';
import { OAuthService } from './oauth.service';
import { OAUTH_PROVIDERS } from './oauth.strategies';

export class OAuthProvidersDto {
  @ApiProperty({ enum: OAUTH_PROVIDERS, isArray: true, description: 'Providers configured on this instance' })
  providers: string[];
}

const providerParam = ApiParam({ name: 'provider', enum: OAUTH_PROVIDERS });
const redirect = (description: string) =>
  ApiResponse({ status: 302, description, headers: { Location: { schema: { type: 'string', format: 'uri' } } } });

@ApiTags('auth')
@Controller('auth/oauth')
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly states: OAuthStateStore,
    private readonly config: AppConfig,
  ) {}

  @Get('providers')
  @Public()
  @ApiOperation({ summary: 'The OAuth providers this instance signs in with (GOOGLE_CLIENT_ID, GITHUB_CLIENT_ID)' })
  @ApiOkResponse({ type: OAuthProvidersDto })
  providers(): OAuthProvidersDto {
    return { providers: this.oauth.enabled() };
  }

  @Get(':provider')
  @Public()
  @Redirect()
  @providerParam
  @ApiOperation({
    summary:
      "Start signing in with Google or GitHub: redirects to the provider, with a state bound to this browser's cookie",
  })
  @redirect('To the provider, with state and PKCE challenge; sets the short-lived HttpOnly oauthState cookie')
  @ApiErrors(404, 503)
  async start(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ url: string; statusCode: number }> {
    const url = await this.oauth.authorizationUrl(provider, request);
    // SameSite=Lax: the provider sends the browser back with a cross-site top-level GET, which Lax allows.
    reply.setCookie(OAUTH_STATE_COOKIE, this.states.cookieFor(request) ?? '', {
      httpOnly: true,
      secure: this.config.env.COOKIE_SECURE,
      sameSite: 'lax',
      path: `/api/auth/oauth/${provider}`,
      maxAge: OAUTH_STATE_TTL_SECONDS,
    });
    return { url, statusCode: 302 };
  }

  @Get(':provider/callback')
  @Public()
  @Redirect()
  @providerParam
  @ApiOperation({
    summary:
      'Where the provider sends the browser back: signs in the linked account, links one by verified e-mail, or creates one; then to the SPA, which takes the session from the refresh cookie (POST /api/auth/refresh)',
  })
  @redirect('To the SPA (APP_URL), with the HttpOnly refresh cookie set')
  @ApiErrors(400, 401, 403, 404, 502, 503)
  async callback(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ url: string; statusCode: number }> {
    // Single use, whatever the outcome.
    reply.clearCookie(OAUTH_STATE_COOKIE, { path: `/api/auth/oauth/${provider}` });
    const { session } = await this.oauth.callback(provider, request);
    setRefreshCookie(reply, this.config, session);
    return { url: `${this.config.env.APP_URL.replace(/\/+$/, '')}/`, statusCode: 302 };
  }
}
