import { MigrationInterface, QueryRunner } from "typeorm";

export class AnalyticsRollupsRevenueCampaigns1796562655056 implements MigrationInterface {
    name = 'AnalyticsRollupsRevenueCampaigns1796562655056'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "analytics_event_days" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "type" character varying(32) NOT NULL,
                "count" integer NOT NULL,
                CONSTRAINT "PK_a5e160539fb732798f15293a03b" PRIMARY KEY ("workspace_id", "day", "type")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "analytics_earning_days" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "currency" character(3) NOT NULL,
                "type" character varying(16) NOT NULL,
                "platform" character varying(16) NOT NULL,
                "amount" bigint NOT NULL,
                "count" integer NOT NULL,
                CONSTRAINT "PK_b5c5cfcb7e9a31925326d3f6a2f" PRIMARY KEY (
                    "workspace_id",
                    "day",
                    "currency",
                    "type",
                    "platform"
                )
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "analytics_campaign_days" (
                "workspace_id" uuid NOT NULL,
                "day" date NOT NULL,
                "campaign_id" uuid NOT NULL,
                "enrolled" integer NOT NULL,
                "contacted" integer NOT NULL,
                "replied" integer NOT NULL,
                "converted" integer NOT NULL,
                "revenue" bigint NOT NULL,
                CONSTRAINT "PK_9c827749de0cc84598d7547270a" PRIMARY KEY ("workspace_id", "day", "campaign_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "campaign_leads"
            ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_campaign_leads_updated" ON "campaign_leads" ("workspace_id", "updated_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_event_days"
            ADD CONSTRAINT "FK_2b908a50cce642cf70153d15a7f" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_earning_days"
            ADD CONSTRAINT "FK_2d33d8d370b8eaad0935bc921a8" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_campaign_days"
            ADD CONSTRAINT "FK_9ad3a8b3cd82d3fbfeb2ce6c874" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "analytics_campaign_days" DROP CONSTRAINT "FK_9ad3a8b3cd82d3fbfeb2ce6c874"
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_earning_days" DROP CONSTRAINT "FK_2d33d8d370b8eaad0935bc921a8"
        `);
        await queryRunner.query(`
            ALTER TABLE "analytics_event_days" DROP CONSTRAINT "FK_2b908a50cce642cf70153d15a7f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaign_leads_updated"
        `);
        await queryRunner.query(`
            ALTER TABLE "campaign_leads" DROP COLUMN "updated_at"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_campaign_days"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_earning_days"
        `);
        await queryRunner.query(`
            DROP TABLE "analytics_event_days"
        `);
    }

}
