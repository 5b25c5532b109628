import { MigrationInterface, QueryRunner } from "typeorm";

export class GdprRetentionSettings1796557569220 implements MigrationInterface {
    name = 'GdprRetentionSettings1796557569220'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "retention_settings" (
                "workspace_id" uuid NOT NULL,
                "inactive_leads_days" integer,
                "chat_history_days" integer,
                "fan_conversations_days" integer,
                "audit_logs_days" integer,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0dcd7c063461566404eb77716ae" PRIMARY KEY ("workspace_id")
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "retention_settings"
        `);
    }

}
