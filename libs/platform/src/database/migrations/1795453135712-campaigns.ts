import { MigrationInterface, QueryRunner } from "typeorm";

export class Campaigns1795453135712 implements MigrationInterface {
    name = 'Campaigns1795453135712'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "campaigns" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(200) NOT NULL,
                "description" text,
                "type" character varying(16) NOT NULL,
                "channel" character varying(50),
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "start_at" TIMESTAMP WITH TIME ZONE,
                "end_at" TIMESTAMP WITH TIME ZONE,
                "budget" bigint,
                "currency" character varying(3),
                "goals" jsonb NOT NULL DEFAULT '{}',
                "target_niche_ids" uuid array NOT NULL DEFAULT '{}',
                "target_segment_ids" uuid array NOT NULL DEFAULT '{}',
                "owner_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_campaigns_budget" CHECK (
                    "budget" IS NULL
                    OR "budget" >= 0
                ),
                CONSTRAINT "CHK_campaigns_window" CHECK (
                    "end_at" IS NULL
                    OR "start_at" IS NULL
                    OR "end_at" >= "start_at"
                ),
                CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7b130b0f031b71dddd2d97ed91" ON "campaigns" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_6472462b070047dff7787882f6" ON "campaigns" ("workspace_id", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_ce88b42d6c762d5e968b7dae5b" ON "campaigns" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            CREATE TABLE "scheduled_posts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "campaign_id" uuid,
                "platform" character varying(32) NOT NULL,
                "caption" text NOT NULL,
                "media_urls" text array NOT NULL DEFAULT '{}',
                "publish_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'scheduled',
                "created_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0408d38eae4ccb97d9bbb148da1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_85813c794445b06774370b48f0" ON "scheduled_posts" ("campaign_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_3e3d73a9b0eb00cd8cce8f5591" ON "scheduled_posts" ("workspace_id", "publish_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "campaign_leads" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "lead_id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "stage" character varying(16) NOT NULL DEFAULT 'enrolled',
                "enrolled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "contacted_at" TIMESTAMP WITH TIME ZONE,
                "replied_at" TIMESTAMP WITH TIME ZONE,
                "converted_at" TIMESTAMP WITH TIME ZONE,
                "revenue" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "UQ_campaign_leads_campaign_lead" UNIQUE ("campaign_id", "lead_id"),
                CONSTRAINT "PK_9ffee36bc33596fc92770d73836" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_cae95f3528b692771d01b8e383" ON "campaign_leads" ("workspace_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_854fe08b6567b72eb179731c6d" ON "campaign_leads" ("lead_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD CONSTRAINT "FK_5c174886e5ca23d8e7b8ba6d7a5" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_posts"
            ADD CONSTRAINT "FK_08d755a0585bbc5f87b30b364c7" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_posts"
            ADD CONSTRAINT "FK_85813c794445b06774370b48f0c" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "campaign_leads"
            ADD CONSTRAINT "FK_a41767ccbba115bfd19da149b66" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "campaign_leads"
            ADD CONSTRAINT "FK_854fe08b6567b72eb179731c6db" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "campaign_leads" DROP CONSTRAINT "FK_854fe08b6567b72eb179731c6db"
        `);
        await queryRunner.query(`
            ALTER TABLE "campaign_leads" DROP CONSTRAINT "FK_a41767ccbba115bfd19da149b66"
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_posts" DROP CONSTRAINT "FK_85813c794445b06774370b48f0c"
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_posts" DROP CONSTRAINT "FK_08d755a0585bbc5f87b30b364c7"
        `);
        await queryRunner.query(`
            ALTER TABLE "campaigns" DROP CONSTRAINT "FK_5c174886e5ca23d8e7b8ba6d7a5"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_854fe08b6567b72eb179731c6d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_cae95f3528b692771d01b8e383"
        `);
        await queryRunner.query(`
            DROP TABLE "campaign_leads"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_3e3d73a9b0eb00cd8cce8f5591"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_85813c794445b06774370b48f0"
        `);
        await queryRunner.query(`
            DROP TABLE "scheduled_posts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_ce88b42d6c762d5e968b7dae5b"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_6472462b070047dff7787882f6"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7b130b0f031b71dddd2d97ed91"
        `);
        await queryRunner.query(`
            DROP TABLE "campaigns"
        `);
    }

}
