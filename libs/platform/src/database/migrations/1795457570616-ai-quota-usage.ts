import { MigrationInterface, QueryRunner } from "typeorm";

export class AiQuotaUsage1795457570616 implements MigrationInterface {
    name = 'AiQuotaUsage1795457570616'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "ai_quota_usage" (
                "workspace_id" uuid NOT NULL,
                "period" date NOT NULL,
                "used" integer NOT NULL DEFAULT '0',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_ai_quota_usage_used" CHECK ("used" >= 0),
                CONSTRAINT "PK_2f4d86a86181e4448b5357d6d94" PRIMARY KEY ("workspace_id", "period")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "ai_quota_usage"
            ADD CONSTRAINT "FK_aba2542efedacfac71d3d15cb5a" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "ai_quota_usage" DROP CONSTRAINT "FK_aba2542efedacfac71d3d15cb5a"
        `);
        await queryRunner.query(`
            DROP TABLE "ai_quota_usage"
        `);
    }

}
