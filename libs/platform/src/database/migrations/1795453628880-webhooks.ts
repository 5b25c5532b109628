import { MigrationInterface, QueryRunner } from "typeorm";

export class Webhooks1795453628880 implements MigrationInterface {
    name = 'Webhooks1795453628880'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "webhook_deliveries_inbound" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "source" character varying(16) NOT NULL,
                "event_id" character varying(200),
                "status" character varying(16) NOT NULL,
                "reason" character varying(500),
                "http_status" integer NOT NULL,
                "lead_id" uuid,
                "campaign_id" uuid,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f02a2941cccf3f6a9bc62d721f3" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7722d8f6190322e2af41f5eb70" ON "webhook_deliveries_inbound" ("workspace_id", "received_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_webhook_inbound_event_accepted" ON "webhook_deliveries_inbound" ("workspace_id", "source", "event_id")
            WHERE "status" = 'accepted'
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_endpoints" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "url" character varying(2048) NOT NULL,
                "description" character varying(500),
                "events" text array NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "secret" text NOT NULL,
                "consecutive_failures" integer NOT NULL DEFAULT '0',
                "disabled_reason" character varying(500),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_b8506b4ae947ea1193e84ac790" ON "webhook_endpoints" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "endpoint_id" uuid NOT NULL,
                "event_id" character varying(100) NOT NULL,
                "event_type" character varying(64) NOT NULL,
                "attempt" integer NOT NULL,
                "status" character varying(16) NOT NULL,
                "response_status" integer,
                "duration_ms" integer,
                "error" character varying(1000),
                "next_retry_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_90d878c7d3ce99fb2ef328d4d5" ON "webhook_deliveries" ("endpoint_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "webhook_deliveries_inbound"
            ADD CONSTRAINT "FK_d298f7c2abc8a7f0e5c2d6069f0" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "webhook_endpoints"
            ADD CONSTRAINT "FK_a37f51d7045b4f19721c6813c63" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c"
        `);
        await queryRunner.query(`
            ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "FK_a37f51d7045b4f19721c6813c63"
        `);
        await queryRunner.query(`
            ALTER TABLE "webhook_deliveries_inbound" DROP CONSTRAINT "FK_d298f7c2abc8a7f0e5c2d6069f0"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_90d878c7d3ce99fb2ef328d4d5"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_b8506b4ae947ea1193e84ac790"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_endpoints"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_webhook_inbound_event_accepted"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7722d8f6190322e2af41f5eb70"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_deliveries_inbound"
        `);
    }

}
