import { MigrationInterface, QueryRunner } from "typeorm";

export class AnalyticsMonthlyRollups1796565602863 implements MigrationInterface {
    name = 'AnalyticsMonthlyRollups1796565602863'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "analytics_lead_months" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "status" character varying(16) NOT NULL,
                "source" character varying(100) NOT NULL DEFAULT '',
                "niche_id" character varying(36) NOT NULL DEFAULT '',
                "count" integer NOT NULL,
                CONSTRAINT "PK_1987144569e9d7552173c7b5e01" PRIMARY KEY (
                    "workspace_id",
                    "day",
                    "status",
                    "source",
                    "niche_id"
                )
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "analytics_event_months" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "type" character varying(32) NOT NULL,
                "count" integer NOT NULL,
                CONSTRAINT "PK_e3efbae461f3f6c9bc8e23845e8" PRIMARY KEY ("workspace_id", "day", "type")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "analytics_earning_months" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "currency" character(3) NOT NULL,
                "type" character varying(16) NOT NULL,
                "platform" character varying(16) NOT NULL,
                "amount" bigint NOT NULL,
                "count" integer NOT NULL,
                CONSTRAINT "PK_fa25fa0eeb8c39556c14eebdfe4" PRIMARY KEY (
                    "workspace_id",
                    "day",
                    "currency",
                    "type",
                    "platform"
                )
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "analytics_campaign_months" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "campaign_id" uuid NOT NULL,
                "enrolled" integer NOT NULL,
                "contacted" integer NOT NULL,
                "replied" integer NOT NULL,
                "converted" integer NOT NULL,
                "revenue" bigint NOT NULL,
                CONSTRAINT "PK_fde5a281edb9d817067f3124b18" PRIMARY KEY ("workspace_id", "day", "campaign_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_lead_months"
            ADD CONSTRAINT "FK_ad03da4fd5b107d1c187b9ac900" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_event_months"
            ADD CONSTRAINT "FK_17e6675fda6ebd20a9c488ba053" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_earning_months"
            ADD CONSTRAINT "FK_be9457b0ff00180f0448846373c" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_campaign_months"
            ADD CONSTRAINT "FK_fcfc367ec14d938c31f96f252ec" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "analytics_campaign_months" DROP CONSTRAINT "FK_fcfc367ec14d938c31f96f252ec"
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_earning_months" DROP CONSTRAINT "FK_be9457b0ff00180f0448846373c"
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_event_months" DROP CONSTRAINT "FK_17e6675fda6ebd20a9c488ba053"
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_lead_months" DROP CONSTRAINT "FK_ad03da4fd5b107d1c187b9ac900"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_campaign_months"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_earning_months"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_event_months"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_lead_months"
        `);
    }

}
