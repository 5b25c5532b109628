import { Module } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/config.service';
import type { Principal } from '../auth/principal';

/** Structured JSON logs; each request line carries its request id, user and workspace. */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.env.LOG_LEVEL,
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
          customProps: (req: IncomingMessage) => {
            const principal = (req as IncomingMessage & { principal?: Principal }).principal;
            return principal ? { userId: principal.userId, workspaceId: principal.workspaceId } : {};
          },
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
          // Probes and scrapes would drown the request log. Middleware sees the URL without its mount prefix,
          // so read the original one.
          autoLogging: {
            ignore: (req: IncomingMessage) =>
              /^\/api\/(health|metrics)(\?|$)/.test(
                (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '',
              ),
          },
        },
      }),
    }),
  ],
})
export class LoggerModule {}
