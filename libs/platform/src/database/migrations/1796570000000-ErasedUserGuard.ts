import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Columns naming a user without a foreign key to `users` (large tables, or rows kept after the user goes). An
 * erasure marks the user (`users.erased_at`) after waiting for every writer that already checked them; from then
 * on a write naming them is refused with SQLSTATE CR410, so a request or job in flight cannot bring them back
 * after their rows were erased. test/gdpr/gdpr-late-write.e2e-spec.ts checks every such column is guarded.
 */
export const GUARDED_USER_COLUMNS: Record<string, readonly string[]> = {
  ai_usage: ['user_id'],
  api_keys: ['created_by_id'],
  audit_logs: ['user_id'],
  automation_rules: ['created_by_id'],
  campaigns: ['owner_id'],
  chat_messages: ['user_id'],
  consent_records: ['user_id'],
  forum_comments: ['user_id'],
  forum_reports: ['reporter_id', 'handled_by_id'],
  forum_topics: ['user_id'],
  invitations: ['invited_by_id'],
  jobs: ['user_id'],
  lead_events: ['actor_user_id'],
  leads: ['owner_id'],
  memberships: ['invited_by_id'],
  scheduled_posts: ['created_by_id'],
  segments: ['created_by_id'],
  studio_assets: ['created_by_id'],
  subject_consent_records: ['recorded_by_id'],
  user_settings: ['user_id'],
  workspaces: ['owner_id'],
};

/** Written by hand (TypeORM does not generate triggers). */
export class ErasedUserGuard1796570000000 implements MigrationInterface {
  name = 'ErasedUserGuard1796570000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "erased_at" TIMESTAMP WITH TIME ZONE`);
    // Inserts: once per statement over its new rows (an import of 100 000 leads checks one owner once). The
    // users rows are locked FOR KEY SHARE like a foreign key's check, so the erasure's FOR UPDATE waits for
    // the writer to commit, and a writer after it re-reads the row and sees erased_at.
    await queryRunner.query(`
      CREATE FUNCTION guard_erased_users_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        col text;
        missing bigint;
      BEGIN
        FOREACH col IN ARRAY TG_ARGV LOOP
          EXECUTE format(
            'WITH ids AS (SELECT DISTINCT %1$I AS id FROM guarded_rows WHERE %1$I IS NOT NULL),
                  live AS (SELECT u.id FROM users u WHERE u.id IN (SELECT id FROM ids) AND u.erased_at IS NULL
                              FOR KEY SHARE OF u)
             SELECT (SELECT count(*) FROM ids) - (SELECT count(*) FROM live)', col) INTO missing;
          IF missing > 0 THEN
            RAISE EXCEPTION 'a row of % names an erased or unknown user in %', TG_TABLE_NAME, col
              USING ERRCODE = 'CR410';
          END IF;
        END LOOP;
        RETURN NULL;
      END
      $fn$`);
    // Updates: per row, and only when the column changes to a user (anonymising sets it NULL).
    await queryRunner.query(`
      CREATE FUNCTION guard_erased_users_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM 1 FROM users u WHERE u.id = (to_jsonb(NEW) ->> TG_ARGV[0])::uuid AND u.erased_at IS NULL
          FOR KEY SHARE OF u;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'a row of % names an erased or unknown user in %', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'CR410';
        END IF;
        RETURN NEW;
      END
      $fn$`);
    for (const [table, columns] of Object.entries(GUARDED_USER_COLUMNS)) {
      await queryRunner.query(
        `CREATE TRIGGER guard_erased_users_insert AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS guarded_rows
           FOR EACH STATEMENT EXECUTE FUNCTION guard_erased_users_insert(${columns.map((c) => `'${c}'`).join(', ')})`,
      );
      for (const column of columns) {
        await queryRunner.query(
          `CREATE TRIGGER guard_erased_users_update_${column} BEFORE UPDATE OF "${column}" ON "${table}" FOR EACH ROW
             WHEN (NEW."${column}" IS NOT NULL AND NEW."${column}" IS DISTINCT FROM OLD."${column}")
             EXECUTE FUNCTION guard_erased_users_update('${column}')`,
        );
      }
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(GUARDED_USER_COLUMNS)) {
      await queryRunner.query(`DROP TRIGGER guard_erased_users_insert ON "${table}"`);
      for (const column of columns) await queryRunner.query(`DROP TRIGGER guard_erased_users_update_${column} ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION guard_erased_users_update()`);
    await queryRunner.query(`DROP FUNCTION guard_erased_users_insert()`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "erased_at"`);
  }
}
