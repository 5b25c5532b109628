import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (TypeORM cannot describe trigram indexes; those entities only name them, { synchronize: false }).
 * The lists the audit of list routes found without a matching index:
 * - the members, API keys and workspace invitations lists, now paged by cursor, newest first (or by joining date):
 *   (workspace, created_at, id) serves the order and the seek;
 * - a data subject's consent history, newest first: the lookup index has the purpose between the e-mail and the
 *   instant, so the history sorted every record of the person;
 * - the studio asset library's `q` (title, original file name) and the canned responses' `search` (name, body):
 *   ILIKE '%…%', served by GIN trigram indexes instead of a filter over every row of the workspace.
 */
export class ListAuditIndexes1796579900000 implements MigrationInterface {
  name = 'ListAuditIndexes1796579900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "IDX_memberships_list" ON "memberships" ("workspace_id", "created_at", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_list" ON "api_keys" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_invitations_list" ON "invitations" ("workspace_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_subject_consent_records_history" ON "subject_consent_records"
         ("workspace_id", "email", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_studio_assets_title_trgm" ON "studio_assets" USING GIN ("title" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_studio_assets_original_name_trgm" ON "studio_assets" USING GIN ("original_name" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_chatbot_canned_responses_name_trgm" ON "chatbot_canned_responses"
         USING GIN ("name" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_chatbot_canned_responses_body_trgm" ON "chatbot_canned_responses"
         USING GIN ("body" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_chatbot_canned_responses_body_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chatbot_canned_responses_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_studio_assets_original_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_studio_assets_title_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_subject_consent_records_history"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_invitations_list"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_api_keys_list"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_memberships_list"`);
  }
}
