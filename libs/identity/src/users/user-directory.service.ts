import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserEntity } from './user.entity';

/** The narrow look-up other features may make about a user: the name they show to others. */
@Injectable()
export class UserDirectory {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async displayName(userId: string): Promise<string | null> {
    const user = await this.users.findOne({ where: { id: userId }, select: { id: true, name: true } });
    return user?.name ?? null;
  }
}
