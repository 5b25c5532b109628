import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Principal } from '@crescendo/platform';
import { PermissionResponseDto, RoleResponseDto } from './roles.dto';
import { RolesService } from './roles.service';

@ApiTags('roles')
@Controller()
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get('roles')
  @Authenticated()
  @ApiOperation({
    summary: 'Every workspace role with its description and permissions, and whether the caller may assign it',
  })
  @ApiOkResponse({ type: RoleResponseDto, isArray: true })
  listRoles(@CurrentPrincipal() principal: Principal): RoleResponseDto[] {
    return this.roles.listRoles(principal);
  }

  @Get('permissions')
  @Authenticated()
  @ApiOperation({ summary: 'Every permission with its description and the roles that carry it' })
  @ApiOkResponse({ type: PermissionResponseDto, isArray: true })
  listPermissions(): PermissionResponseDto[] {
    return this.roles.listPermissions();
  }
}
