import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/**
 * Notifications: a workspace's name no one (deleted with it); a member's own (forum mentions) are exported to them
 * and go with their erasure.
 */
@Injectable()
export class NotificationsPersonalData extends TablePersonalData {
  readonly feature = 'notifications';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'notifications',
      section: 'ownNotifications',
      columns: 'id, kind, level, message, params, data, read_at, created_at',
      userColumns: ['user_id'],
      onlyTheirs: true,
      deleteOnErasure: true,
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}
