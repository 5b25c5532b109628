import { Injectable } from '@nestjs/common';
import { notFound, Principal } from '@crescendo/platform';
import { IdentityLookupsService, UserProfile } from '@crescendo/identity';
import {
  defaultManagementSettings,
  ManagementSettingsDto,
  ManagementSettingsResponseDto,
  ProfileDto,
  ProfileResponseDto,
  UpdateManagementSettingsDto,
  UpdateProfileDto,
} from './management.dto';
import { SettingsRepository } from './settings.repository';
import { mergeKnown } from './settings.merge';

/** The signed-in user's own preferences and profile (`{ success, data }` answers, as documented). */
@Injectable()
export class ManagementService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly identity: IdentityLookupsService,
  ) {}

  /** A member's preferences (the defaults where they chose nothing), for features that act on them. */
  async preferencesOf(userId: string): Promise<ManagementSettingsDto> {
    return mergeKnown(defaultManagementSettings(), await this.settings.readUser(userId));
  }

  async getSettings(principal: Principal): Promise<ManagementSettingsResponseDto> {
    const stored = await this.settings.readUser(principal.userId);
    return { success: true, data: mergeKnown(defaultManagementSettings(), stored) };
  }

  async updateSettings(principal: Principal, dto: UpdateManagementSettingsDto): Promise<ManagementSettingsResponseDto> {
    const { userId } = principal;
    const data = await this.settings.transaction(async (manager) => {
      const row = await this.settings.lockUser(manager, userId);
      const merged: ManagementSettingsDto = mergeKnown(mergeKnown(defaultManagementSettings(), row.data), dto);
      row.data = { ...merged };
      await this.settings.saveUser(manager, row);
      return merged;
    });
    return { success: true, data };
  }

  async getProfile(principal: Principal): Promise<ProfileResponseDto> {
    return { success: true, data: toProfile(await this.findUser(principal.userId)) };
  }

  async updateProfile(principal: Principal, dto: UpdateProfileDto): Promise<ProfileResponseDto> {
    const { name, bio, avatarUrl, timezone, locale } = dto;
    const user = await this.identity.updateProfile(principal.userId, { name, bio, avatarUrl, timezone, locale });
    if (!user) throw userNotFound();
    return { success: true, data: toProfile(user) };
  }

  private async findUser(id: string): Promise<UserProfile> {
    const user = await this.identity.profile(id);
    if (!user) throw userNotFound();
    return user;
  }
}

const userNotFound = () => notFound('USER_NOT_FOUND', 'User not found');

function toProfile(user: UserProfile): ProfileDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    timezone: user.timezone,
    locale: user.locale,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
