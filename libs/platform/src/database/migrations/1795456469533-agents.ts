import { MigrationInterface, QueryRunner } from "typeorm";

export class Agents1795456469533 implements MigrationInterface {
    name = 'Agents1795456469533'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "agents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "type" character varying(32) NOT NULL,
                "provider" character varying(100) NOT NULL,
                "model" character varying(100) NOT NULL,
                "system_prompt" text NOT NULL DEFAULT '',
                "tools" text array NOT NULL DEFAULT '{}',
                "trigger_type" character varying(16) NOT NULL,
                "schedule" character varying(100),
                "event_type" character varying(64),
                "runs_per_day" integer NOT NULL,
                "tokens_per_run" integer NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "error_reason" text,
                "consecutive_failures" integer NOT NULL DEFAULT '0',
                "last_run_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_agents_limits" CHECK (
                    "runs_per_day" > 0
                    AND "tokens_per_run" > 0
                ),
                CONSTRAINT "PK_9c653f28ae19c5884d5baf6a1d9" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_cf47a1229914ad910f922e8708" ON "agents" ("workspace_id", "trigger_type", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_agents_workspace_name" ON "agents" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            CREATE TABLE "agent_runs" (
                "id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "agent_id" uuid NOT NULL,
                "trigger" character varying(16) NOT NULL,
                "event_id" uuid,
                "trigger_data" jsonb NOT NULL DEFAULT '{}',
                "status" character varying(16) NOT NULL DEFAULT 'queued',
                "input_tokens" integer NOT NULL DEFAULT '0',
                "output_tokens" integer NOT NULL DEFAULT '0',
                "cost_usd" numeric(12, 6) NOT NULL DEFAULT '0',
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "error" jsonb,
                "summary" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_442f7e0ec4ae860cf17edc57825" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_79e7445d85a8964e542ddfd1cb" ON "agent_runs" ("agent_id", "started_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_1d1f7a8c76d14d4a4c92cd3dc0" ON "agent_runs" ("agent_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "agent_logs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "agent_id" uuid NOT NULL,
                "run_id" uuid,
                "level" character varying(8) NOT NULL,
                "message" text NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2cc52efab0f963454d7006a6981" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_e73c04087ccd8588b8d0d02136" ON "agent_logs" ("run_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_99073f89afe0e6c69e62719d81" ON "agent_logs" ("agent_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "agents"
            ADD CONSTRAINT "FK_e4073e164112770e13f73919bac" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "agent_runs"
            ADD CONSTRAINT "FK_b7e54bda53308d1c35f163440b7" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "agent_logs"
            ADD CONSTRAINT "FK_039a398c03e68e46a0fc0bc998f" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "agent_logs" DROP CONSTRAINT "FK_039a398c03e68e46a0fc0bc998f"
        `);
        await queryRunner.query(`
            ALTER TABLE "agent_runs" DROP CONSTRAINT "FK_b7e54bda53308d1c35f163440b7"
        `);
        await queryRunner.query(`
            ALTER TABLE "agents" DROP CONSTRAINT "FK_e4073e164112770e13f73919bac"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_99073f89afe0e6c69e62719d81"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_e73c04087ccd8588b8d0d02136"
        `);
        await queryRunner.query(`
            DROP TABLE "agent_logs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_1d1f7a8c76d14d4a4c92cd3dc0"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_79e7445d85a8964e542ddfd1cb"
        `);
        await queryRunner.query(`
            DROP TABLE "agent_runs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_agents_workspace_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_cf47a1229914ad910f922e8708"
        `);
        await queryRunner.query(`
            DROP TABLE "agents"
        `);
    }

}
