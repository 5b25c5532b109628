import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { notFound, Principal } from '@crescendo/platform';
import { UserEntity } from '@crescendo/identity';
import {
  defaultManagementSettings,
  ManagementSettingsDto,
  ManagementSettingsResponseDto,
  ProfileDto,
  ProfileResponseDto,
  UpdateManagementSettingsDto,
  UpdateProfileDto,
} from './management.dto';
import { UserSettingsEntity } from './settings.entity';
import { mergeKnown } from './settings.merge';

/** The signed-in user's own preferences and profile (seed 000, `{ success, data }` answers). */
@Injectable()
export class ManagementService {
  constructor(
    @InjectRepository(UserSettingsEntity) private readonly userSettings: Repository<UserSettingsEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async getSettings(principal: Principal): Promise<ManagementSettingsResponseDto> {
    const row = await this.userSettings.findOne({ where: { userId: principal.userId } });
    return { success: true, data: mergeKnown(defaultManagementSettings(), row?.data) };
  }

  async updateSettings(principal: Principal, dto: UpdateManagementSettingsDto): Promise<ManagementSettingsResponseDto> {
    const { userId } = principal;
    const data = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(UserSettingsEntity);
      await repo.createQueryBuilder().insert().values({ userId, data: {} }).orIgnore().execute();
      const row = await repo.findOneOrFail({ where: { userId }, lock: { mode: 'pessimistic_write' } });
      const merged: ManagementSettingsDto = mergeKnown(mergeKnown(defaultManagementSettings(), row.data), dto);
      row.data = { ...merged };
      await repo.save(row, { reload: false });
      return merged;
    });
    return { success: true, data };
  }

  async getProfile(principal: Principal): Promise<ProfileResponseDto> {
    return { success: true, data: toProfile(await this.findUser(principal.userId)) };
  }

  async updateProfile(principal: Principal, dto: UpdateProfileDto): Promise<ProfileResponseDto> {
    const user = await this.findUser(principal.userId);
    if (dto.name !== undefined) user.name = dto.name;
    if (dto.bio !== undefined) user.bio = dto.bio;
    if (dto.avatarUrl !== undefined) user.avatarUrl = dto.avatarUrl;
    if (dto.timezone !== undefined) user.timezone = dto.timezone;
    if (dto.locale !== undefined) user.locale = dto.locale;
    return { success: true, data: toProfile(await this.users.save(user)) };
  }

  private async findUser(id: string): Promise<UserEntity> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw notFound('USER_NOT_FOUND', 'User not found');
    return user;
  }
}

function toProfile(user: UserEntity): ProfileDto {
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
