import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Authenticated, CurrentPrincipal, Principal } from '@crescendo/platform';
import {
  ManagementSettingsResponseDto,
  ProfileResponseDto,
  UpdateManagementSettingsDto,
  UpdateProfileDto,
} from './management.dto';
import { ManagementService } from './management.service';
import { UserSessionGuard } from './user-session.guard';

@ApiTags('management')
@Controller('management')
@Authenticated()
@UseGuards(UserSessionGuard)
export class ManagementController {
  constructor(private readonly management: ManagementService) {}

  @Get('settings')
  @ApiOperation({ summary: "The signed-in user's own preferences; defaults until changed" })
  @ApiOkResponse({ type: ManagementSettingsResponseDto })
  @ApiErrors(403)
  getManagementSettings(@CurrentPrincipal() principal: Principal): Promise<ManagementSettingsResponseDto> {
    return this.management.getSettings(principal);
  }

  @Put('settings')
  @ApiOperation({ summary: "Change the signed-in user's preferences: a partial update" })
  @ApiOkResponse({ type: ManagementSettingsResponseDto })
  @ApiErrors(400, 403)
  updateManagementSettings(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateManagementSettingsDto,
  ): Promise<ManagementSettingsResponseDto> {
    return this.management.updateSettings(principal, dto);
  }

  @Get('profile')
  @ApiOperation({ summary: "The signed-in user's profile" })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiErrors(403, 404)
  getProfile(@CurrentPrincipal() principal: Principal): Promise<ProfileResponseDto> {
    return this.management.getProfile(principal);
  }

  @Put('profile')
  @ApiOperation({ summary: "Change the signed-in user's name, bio, avatar, time zone or locale" })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiErrors(400, 403, 404)
  updateProfile(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateProfileDto): Promise<ProfileResponseDto> {
    return this.management.updateProfile(principal, dto);
  }
}
