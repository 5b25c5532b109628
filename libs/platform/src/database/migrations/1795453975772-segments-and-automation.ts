import { MigrationInterface, QueryRunner } from "typeorm";

export class SegmentsAndAutomation1795453975772 implements MigrationInterface {
    name = 'SegmentsAndAutomation1795453975772'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "segments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "description" character varying(1000),
                "rules" jsonb NOT NULL,
                "created_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_beff1eec19679fe8ad4f291f04e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_segments_workspace_name" ON "segments" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            CREATE TABLE "automation_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "description" character varying(1000),
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "trigger_type" character varying(32) NOT NULL,
                "trigger" jsonb NOT NULL,
                "conditions" jsonb,
                "actions" jsonb NOT NULL,
                "consecutive_failures" integer NOT NULL DEFAULT '0',
                "paused_reason" character varying(500),
                "last_run_at" TIMESTAMP WITH TIME ZONE,
                "created_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_378bed501eacc036895837121c2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_17134b0b165c179401590d56c5" ON "automation_rules" ("workspace_id", "trigger_type", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_automation_rules_workspace_name" ON "automation_rules" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            CREATE TABLE "automation_runs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "rule_id" uuid NOT NULL,
                "trigger_event_id" character varying(200) NOT NULL,
                "trigger_type" character varying(32) NOT NULL,
                "lead_id" uuid,
                "status" character varying(16) NOT NULL,
                "actions_done" jsonb NOT NULL DEFAULT '[]',
                "error" text,
                "duration_ms" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_273137fa78ff9340128ab98445f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8c0bb5bb86d1a01f54494d40b5" ON "automation_runs" ("rule_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_automation_runs_rule_event" ON "automation_runs" ("rule_id", "trigger_event_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "segments"
            ADD CONSTRAINT "FK_c60223aa4d7f7f7a935379d955a" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "automation_rules"
            ADD CONSTRAINT "FK_49e4d37868a1427c1fa014be51b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "automation_runs"
            ADD CONSTRAINT "FK_bfd6a7833abf029dd9091c7a54a" FOREIGN KEY ("rule_id") REFERENCES "automation_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "automation_runs" DROP CONSTRAINT "FK_bfd6a7833abf029dd9091c7a54a"
        `);
        await queryRunner.query(`
            ALTER TABLE "automation_rules" DROP CONSTRAINT "FK_49e4d37868a1427c1fa014be51b"
        `);
        await queryRunner.query(`
            ALTER TABLE "segments" DROP CONSTRAINT "FK_c60223aa4d7f7f7a935379d955a"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_automation_runs_rule_event"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8c0bb5bb86d1a01f54494d40b5"
        `);
        await queryRunner.query(`
            DROP TABLE "automation_runs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_automation_rules_workspace_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_17134b0b165c179401590d56c5"
        `);
        await queryRunner.query(`
            DROP TABLE "automation_rules"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_segments_workspace_name"
        `);
        await queryRunner.query(`
            DROP TABLE "segments"
        `);
    }

}
