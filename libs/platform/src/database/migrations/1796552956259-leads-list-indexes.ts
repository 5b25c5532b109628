import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Generated, plus by hand the trigram indexes of the list's text search (TypeORM cannot describe a GIN
 * index with an operator class: the entity only names them).
 */
export class LeadsListIndexes1796552956259 implements MigrationInterface {
    name = 'LeadsListIndexes1796552956259'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_037102507979bbef7bb59f526b"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_leads_list_status_created" ON "leads" ("workspace_id", "status", "created_at", "id")
            WHERE "deleted_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_leads_list_name" ON "leads" ("workspace_id", "name", "id")
            WHERE "deleted_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_leads_list_score" ON "leads" ("workspace_id", "score", "id")
            WHERE "deleted_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_leads_list_updated" ON "leads" ("workspace_id", "updated_at", "id")
            WHERE "deleted_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_leads_list_created" ON "leads" ("workspace_id", "created_at", "id")
            WHERE "deleted_at" IS NULL
        `);
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await queryRunner.query(`CREATE INDEX "IDX_leads_name_trgm" ON "leads" USING GIN ("name" gin_trgm_ops)`);
        await queryRunner.query(`CREATE INDEX "IDX_leads_email_trgm" ON "leads" USING GIN ("email" gin_trgm_ops)`);
        await queryRunner.query(`CREATE INDEX "IDX_leads_company_trgm" ON "leads" USING GIN ("company" gin_trgm_ops)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_leads_company_trgm"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_leads_email_trgm"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_leads_name_trgm"`);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_leads_list_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_leads_list_updated"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_leads_list_score"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_leads_list_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_leads_list_status_created"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_037102507979bbef7bb59f526b" ON "leads" ("workspace_id", "created_at")
        `);
    }

}
