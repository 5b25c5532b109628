import { Module } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import pino, { Logger as PinoInstance } from 'pino';
import { AppConfig } from '../config/config.service';

/** The process's one pino logger: Nest's logs (through nestjs-pino) and the request lines (`logRequests`). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
export type RootLogger = PinoInstance;

@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RootLogger =>
        pino({
          level: config.env.LOG_LEVEL,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
        }),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Structured JSON logs. nestjs-pino serves Nest's LoggerService, with its pino-http middleware turned
 * off (`forRoutes: []`): that middleware made a child logger and an AsyncLocalStorage context per request,
 * even at level silent. Request lines are written once per answer by `logRequests` instead.
 */
@Module({
  imports: [
    RootLoggerModule,
    PinoLoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: (logger: RootLogger) => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
  exports: [RootLoggerModule],
})
export class LoggerModule {}
