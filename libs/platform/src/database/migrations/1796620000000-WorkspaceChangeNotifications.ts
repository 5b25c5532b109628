import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables stats answers read notify each committed change on the `workspace_changes` channel, once per
 * statement and workspace (payload: the workspace id; '*' for a TRUNCATE), so that a process serving a kept answer
 * again knows without asking Postgres whether it may have changed (WorkspaceChanges). Statement-level triggers
 * with transition tables: a bulk import pays one DISTINCT per statement, not a trigger call per row.
 */
const WORKSPACE_CHANGE_TABLES = [
  'leads',
  'lead_events',
  'niches',
  'campaigns',
  'campaign_leads',
  'subscribers',
  'earnings',
  'ai_usage',
  'workspace_settings',
  'analytics_rollup_state',
  'analytics_lead_days',
  'analytics_lead_months',
  'analytics_event_days',
  'analytics_event_months',
  'analytics_campaign_days',
  'analytics_campaign_months',
  'analytics_earning_days',
  'analytics_earning_months',
];

export class WorkspaceChangeNotifications1796620000000 implements MigrationInterface {
  name = 'WorkspaceChangeNotifications1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_workspace_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('workspace_changes', '*');
        ELSIF TG_OP = 'INSERT' THEN
          PERFORM pg_notify('workspace_changes', w) FROM (SELECT DISTINCT workspace_id::text AS w FROM new_rows) c;
        ELSIF TG_OP = 'UPDATE' THEN
          PERFORM pg_notify('workspace_changes', w)
             FROM (SELECT workspace_id::text AS w FROM new_rows UNION SELECT workspace_id::text FROM old_rows) c;
        ELSE
          PERFORM pg_notify('workspace_changes', w) FROM (SELECT DISTINCT workspace_id::text AS w FROM old_rows) c;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of WORKSPACE_CHANGE_TABLES) {
      const run = `FOR EACH STATEMENT EXECUTE FUNCTION notify_workspace_change()`;
      await queryRunner.query(
        `CREATE TRIGGER "${table}_changes_insert" AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows ${run}`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "${table}_changes_update" AFTER UPDATE ON "${table}"
           REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ${run}`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "${table}_changes_delete" AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_rows ${run}`,
      );
      await queryRunner.query(`CREATE TRIGGER "${table}_changes_truncate" AFTER TRUNCATE ON "${table}" ${run}`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of WORKSPACE_CHANGE_TABLES) {
      for (const op of ['insert', 'update', 'delete', 'truncate']) {
        await queryRunner.query(`DROP TRIGGER "${table}_changes_${op}" ON "${table}"`);
      }
    }
    await queryRunner.query(`DROP FUNCTION notify_workspace_change()`);
  }
}
