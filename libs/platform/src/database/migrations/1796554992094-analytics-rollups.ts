import { MigrationInterface, QueryRunner } from "typeorm";

export class AnalyticsRollups1796554992094 implements MigrationInterface {
    name = 'AnalyticsRollups1796554992094'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "analytics_lead_days" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "status" character varying(16) NOT NULL,
                "source" character varying(100) NOT NULL DEFAULT '',
                "niche_id" character varying(36) NOT NULL DEFAULT '',
                "count" integer NOT NULL,
                CONSTRAINT "PK_d460ecda382e61ec9069ed692a8" PRIMARY KEY (
                    "workspace_id",
                    "day",
                    "status",
                    "source",
                    "niche_id"
                )
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "analytics_rollup_state" (
                "workspace_id" uuid NOT NULL,
                "time_zone" character varying(64) NOT NULL,
                "built_through" date NOT NULL,
                "watermark" TIMESTAMP WITH TIME ZONE NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5a3f72ff8ce9e7681dead06d3be" PRIMARY KEY ("workspace_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_lead_days"
            ADD CONSTRAINT "FK_fd90f903896d924b619fe1e71b4" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_rollup_state"
            ADD CONSTRAINT "FK_5a3f72ff8ce9e7681dead06d3be" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "analytics_rollup_state" DROP CONSTRAINT "FK_5a3f72ff8ce9e7681dead06d3be"
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_lead_days" DROP CONSTRAINT "FK_fd90f903896d924b619fe1e71b4"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_rollup_state"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_lead_days"
        `);
    }

}
