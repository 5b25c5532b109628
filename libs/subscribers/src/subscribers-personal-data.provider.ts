import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Subscribers and earnings have no author: they belong to the workspaces the user owns. */
@Injectable()
export class SubscribersPersonalData extends TablePersonalData {
  readonly feature = 'subscribers';
  protected readonly map: readonly PersonalDataTable[] = [
    { table: 'subscribers', section: 'subscribers', subject: { where: 'workspace_id = $1 AND lower(email) = $2' } },
    {
      table: 'earnings',
      section: 'earnings',
      batched: true,
      subject: { where: 'subscriber_id IN (SELECT id FROM subscribers WHERE workspace_id = $1 AND lower(email) = $2)' },
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}
