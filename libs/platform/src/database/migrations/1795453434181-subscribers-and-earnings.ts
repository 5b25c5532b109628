import { MigrationInterface, QueryRunner } from "typeorm";

export class SubscribersAndEarnings1795453434181 implements MigrationInterface {
    name = 'SubscribersAndEarnings1795453434181'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "subscribers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "platform" character varying(16) NOT NULL,
                "handle" character varying(100) NOT NULL,
                "display_name" character varying(200),
                "email" character varying(320),
                "tier" character varying(50),
                "monthly_price" integer NOT NULL DEFAULT '0',
                "currency" character(3) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "subscribed_since" TIMESTAMP WITH TIME ZONE NOT NULL,
                "renewals" integer NOT NULL DEFAULT '0',
                "lifetime_spend" bigint NOT NULL DEFAULT '0',
                "lead_id" uuid,
                "notes" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_subscribers_currency" CHECK ("currency" ~ '^[A-Z]{3}$'),
                CONSTRAINT "CHK_subscribers_renewals" CHECK ("renewals" >= 0),
                CONSTRAINT "CHK_subscribers_monthly_price" CHECK ("monthly_price" >= 0),
                CONSTRAINT "PK_cbe0a7a9256c826f403c0236b67" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_bc2dea55da99dfeda83d79bc25" ON "subscribers" ("lead_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_26148d01c6e6620ed613f83237" ON "subscribers" ("workspace_id", "email")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_6b4d83ce339c6438b5e18c485c" ON "subscribers" ("workspace_id", "subscribed_since")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_bf348eb8848fab40c90167ec07" ON "subscribers" ("workspace_id", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_subscribers_workspace_platform_handle" ON "subscribers" ("workspace_id", "platform", "handle")
        `);
        await queryRunner.query(`
            CREATE TABLE "earnings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "subscriber_id" uuid,
                "type" character varying(16) NOT NULL,
                "amount" bigint NOT NULL,
                "currency" character(3) NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "description" character varying(500),
                "external_id" character varying(200),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_earnings_currency" CHECK ("currency" ~ '^[A-Z]{3}$'),
                CONSTRAINT "CHK_earnings_amount_sign" CHECK (
                    (
                        "type" = 'refund'
                        AND "amount" < 0
                    )
                    OR (
                        "type" <> 'refund'
                        AND "amount" > 0
                    )
                ),
                CONSTRAINT "PK_32821f77c2546a1d53f674fe83f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7ea804aef7c2445d4291854116" ON "earnings" ("subscriber_id", "occurred_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8ceb112d3480dd7edc2c3e1fee" ON "earnings" ("workspace_id", "currency", "occurred_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_61ef5041977a6cc6e8b80d9a70" ON "earnings" ("workspace_id", "occurred_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_earnings_workspace_external_id" ON "earnings" ("workspace_id", "external_id")
            WHERE "external_id" IS NOT NULL
        `);
        await queryRunner.query(`
            ALTER TABLE "subscribers"
            ADD CONSTRAINT "FK_c5f99e5ebc5d9def3dc4c4ed3d5" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "subscribers"
            ADD CONSTRAINT "FK_bc2dea55da99dfeda83d79bc25c" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "earnings"
            ADD CONSTRAINT "FK_fb48f10019942509ffd396213b3" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "earnings"
            ADD CONSTRAINT "FK_fd1844e088471ee23f927f46fcb" FOREIGN KEY ("subscriber_id") REFERENCES "subscribers"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "earnings" DROP CONSTRAINT "FK_fd1844e088471ee23f927f46fcb"
        `);
        await queryRunner.query(`
            ALTER TABLE "earnings" DROP CONSTRAINT "FK_fb48f10019942509ffd396213b3"
        `);
        await queryRunner.query(`
            ALTER TABLE "subscribers" DROP CONSTRAINT "FK_bc2dea55da99dfeda83d79bc25c"
        `);
        await queryRunner.query(`
            ALTER TABLE "subscribers" DROP CONSTRAINT "FK_c5f99e5ebc5d9def3dc4c4ed3d5"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_earnings_workspace_external_id"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_61ef5041977a6cc6e8b80d9a70"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8ceb112d3480dd7edc2c3e1fee"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7ea804aef7c2445d4291854116"
        `);
        await queryRunner.query(`
            DROP TABLE "earnings"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_subscribers_workspace_platform_handle"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_bf348eb8848fab40c90167ec07"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_6b4d83ce339c6438b5e18c485c"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_26148d01c6e6620ed613f83237"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_bc2dea55da99dfeda83d79bc25"
        `);
        await queryRunner.query(`
            DROP TABLE "subscribers"
        `);
    }

}
