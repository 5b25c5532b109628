import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Automation rules (the owned workspaces', and those the user wrote) and their runs. */
@Injectable()
export class AutomationPersonalData extends TablePersonalData {
  readonly feature = 'automation';
  protected readonly map: readonly PersonalDataTable[] = [
    { table: 'automation_rules', section: 'rules', userColumns: ['created_by_id'] },
    { table: 'automation_runs', section: 'runs' },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}
