import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** The AI usage ledger: the user's calls are exported; erasure keeps the workspace's costs without the caller. */
@Injectable()
export class AiPersonalData extends TablePersonalData {
  readonly feature = 'ai';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'ai_usage',
      section: 'aiUsage',
      columns: `id, workspace_id, user_id, provider, model, feature, input_tokens, output_tokens, cost_usd, latency_ms,
                status, error_code, data_categories, created_at`,
      userColumns: ['user_id'],
      batched: true,
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}
