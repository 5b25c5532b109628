import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import passport, { type Strategy } from 'passport';
import { API_KEY_STRATEGY, JWT_STRATEGY } from '@crescendo/platform';
import { ApiKeyStrategy } from './api-key.strategy';
import { JwtAccessStrategy } from './jwt.strategy';
import { GitHubOAuthStrategy, GoogleOAuthStrategy } from './oauth/oauth.strategies';

/** The strategies of every application open in this process, by name, the latest last. */
const open = new Map<string, Strategy[]>();

/**
 * passport keeps one strategy per name for the whole process, and each strategy registers itself when
 * constructed: an application context created after this one (a worker in the same test process, a second
 * app) takes the names over, and would leave its strategies, bound to its closed database and cache, behind
 * when it closes. So each application puts its own back on init, and on close hands each name back to the
 * strategy of the latest application still open (or unregisters it).
 */
@Injectable()
export class PassportStrategies implements OnModuleInit, OnModuleDestroy {
  private readonly strategies: Array<[string, Strategy]>;

  constructor(
    jwt: JwtAccessStrategy,
    apiKey: ApiKeyStrategy,
    // Null when the provider is not configured: the unions need their tokens named.
    @Inject(GoogleOAuthStrategy) google: GoogleOAuthStrategy | null,
    @Inject(GitHubOAuthStrategy) github: GitHubOAuthStrategy | null,
  ) {
    const all: Array<[string, Strategy | null]> = [
      [JWT_STRATEGY, jwt],
      [API_KEY_STRATEGY, apiKey],
      ['google', google],
      ['github', github],
    ];
    this.strategies = all.filter((entry): entry is [string, Strategy] => entry[1] !== null);
  }

  onModuleInit(): void {
    for (const [name, strategy] of this.strategies) {
      open.set(name, [...(open.get(name) ?? []).filter((s) => s !== strategy), strategy]);
      passport.use(name, strategy);
    }
  }

  onModuleDestroy(): void {
    for (const [name, strategy] of this.strategies) {
      const rest = (open.get(name) ?? []).filter((s) => s !== strategy);
      open.set(name, rest);
      const latest = rest.at(-1);
      if (latest) passport.use(name, latest);
      else passport.unuse(name);
    }
  }
}
