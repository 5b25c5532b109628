import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: TypeORM cannot describe trigram indexes, so the entities only name them ({ synchronize: false }).
 * The campaigns and segments lists' `q` (name) and the subscribers list's `search` (display name, handle, e-mail) are
 * ILIKE '%…%': a GIN trigram index serves them instead of a filter over every row of the workspace.
 */
export class ListSearchTrigramIndexes1796560000000 implements MigrationInterface {
  name = 'ListSearchTrigramIndexes1796560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "IDX_campaigns_name_trgm" ON "campaigns" USING GIN ("name" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "IDX_segments_name_trgm" ON "segments" USING GIN ("name" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "IDX_subscribers_display_name_trgm" ON "subscribers" USING GIN ("display_name" gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_subscribers_handle_trgm" ON "subscribers" USING GIN ("handle" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "IDX_subscribers_email_trgm" ON "subscribers" USING GIN ("email" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_subscribers_email_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_subscribers_handle_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_subscribers_display_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_segments_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_campaigns_name_trgm"`);
  }
}
