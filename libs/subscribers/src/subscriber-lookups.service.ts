import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { SubscriberEntity, SubscriberPlatform } from './subscriber.entity';

/** The narrow reads other features make of subscribers (the chatbot links a fan to its subscriber). */
@Injectable()
export class SubscriberLookupsService {
  constructor(@InjectRepository(SubscriberEntity) private readonly subscribers: Repository<SubscriberEntity>) {}

  /** The id of the workspace's subscriber with this platform and (normalised) handle, if any. */
  async findIdByHandle(
    workspaceId: string,
    platform: SubscriberPlatform,
    handle: string,
    manager?: EntityManager,
  ): Promise<string | null> {
    const repo = manager?.getRepository(SubscriberEntity) ?? this.subscribers;
    const row = await repo.findOne({ where: { workspaceId, platform, handle }, select: { id: true } });
    return row?.id ?? null;
  }
}
