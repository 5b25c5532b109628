import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Saved segments: the owned workspaces', and those the user wrote. */
@Injectable()
export class SegmentsPersonalData extends TablePersonalData {
  readonly feature = 'segments';
  protected readonly map: readonly PersonalDataTable[] = [
    { table: 'segments', section: 'segments', userColumns: ['created_by_id'] },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}
