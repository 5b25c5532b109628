import { MigrationInterface, QueryRunner } from "typeorm";

export class AiUsage1795454184490 implements MigrationInterface {
    name = 'AiUsage1795454184490'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "ai_usage" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "user_id" uuid,
                "provider" character varying(50) NOT NULL,
                "model" character varying(100) NOT NULL,
                "feature" character varying(50) NOT NULL,
                "input_tokens" integer NOT NULL DEFAULT '0',
                "output_tokens" integer NOT NULL DEFAULT '0',
                "cost_usd" numeric(12, 6) NOT NULL DEFAULT '0',
                "latency_ms" integer NOT NULL,
                "status" character varying(10) NOT NULL,
                "error_code" character varying(50),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3dddab3a15520a9c3eba859195d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_fc8021bd148e2875a9aa6fec3f" ON "ai_usage" ("workspace_id", "created_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_fc8021bd148e2875a9aa6fec3f"
        `);
        await queryRunner.query(`
            DROP TABLE "ai_usage"
        `);
    }

}
