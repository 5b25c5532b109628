import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../http/app.exception';
import { PERMISSIONS } from './decorators';
import type { Permission } from './permissions';

@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Permission[]>(PERMISSIONS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    const missing = required.filter((p) => !principal?.permissions.includes(p));
    if (missing.length > 0) {
      throw forbidden(
        'MISSING_PERMISSION',
        `This action needs the permission ${missing.join(', ')}`,
        missing.map((permission) => ({ message: `missing ${permission}`, permission })),
      );
    }
    return true;
  }
}
