import { MigrationInterface, QueryRunner } from "typeorm";

export class MarketingListIndexes1796554045590 implements MigrationInterface {
    name = 'MarketingListIndexes1796554045590'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_6b4d83ce339c6438b5e18c485c"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7ea804aef7c2445d4291854116"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8ceb112d3480dd7edc2c3e1fee"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7b130b0f031b71dddd2d97ed91"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_3e3d73a9b0eb00cd8cce8f5591"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8c0bb5bb86d1a01f54494d40b5"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_niches_list_updated" ON "niches" ("workspace_id", "updated_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_niches_list_created" ON "niches" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_niches_list_name" ON "niches" ("workspace_id", "name", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_subscribers_list_price" ON "subscribers" ("workspace_id", "monthly_price", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_subscribers_list_spend" ON "subscribers" ("workspace_id", "lifetime_spend", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_subscribers_list_since" ON "subscribers" ("workspace_id", "subscribed_since", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_earnings_list_subscriber" ON "earnings" ("subscriber_id", "occurred_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_earnings_list_currency" ON "earnings" ("workspace_id", "currency", "occurred_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_segments_list_name" ON "segments" ("workspace_id", "name", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_campaigns_list_name" ON "campaigns" ("workspace_id", "name", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_campaigns_list_updated" ON "campaigns" ("workspace_id", "updated_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_campaigns_list_created" ON "campaigns" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_scheduled_posts_list" ON "scheduled_posts" ("workspace_id", "publish_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_campaign_leads_list" ON "campaign_leads" (
                "workspace_id",
                "campaign_id",
                "enrolled_at",
                "lead_id"
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_automation_rules_list" ON "automation_rules" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_automation_runs_list" ON "automation_runs" ("workspace_id", "rule_id", "created_at", "id")
        `);
        // The campaigns list's startAt / endAt sorts: open ends as 'infinity', the expression the list orders by
        // (TypeORM cannot describe an expression index; the entity names them with synchronize: false).
        await queryRunner.query(`
            CREATE INDEX "IDX_campaigns_list_start" ON "campaigns" ("workspace_id", (COALESCE("start_at", 'infinity'::timestamptz)), "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_campaigns_list_end" ON "campaigns" ("workspace_id", (COALESCE("end_at", 'infinity'::timestamptz)), "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaigns_list_end"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaigns_list_start"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_automation_runs_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_automation_rules_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaign_leads_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_scheduled_posts_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaigns_list_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaigns_list_updated"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_campaigns_list_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_segments_list_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_earnings_list_currency"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_earnings_list_subscriber"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_subscribers_list_since"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_subscribers_list_spend"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_subscribers_list_price"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_niches_list_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_niches_list_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_niches_list_updated"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8c0bb5bb86d1a01f54494d40b5" ON "automation_runs" ("rule_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_3e3d73a9b0eb00cd8cce8f5591" ON "scheduled_posts" ("workspace_id", "publish_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7b130b0f031b71dddd2d97ed91" ON "campaigns" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8ceb112d3480dd7edc2c3e1fee" ON "earnings" ("workspace_id", "currency", "occurred_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7ea804aef7c2445d4291854116" ON "earnings" ("subscriber_id", "occurred_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_6b4d83ce339c6438b5e18c485c" ON "subscribers" ("workspace_id", "subscribed_since")
        `);
    }

}
