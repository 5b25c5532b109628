import { MigrationInterface, QueryRunner } from "typeorm";

export class Chatbot1795454694233 implements MigrationInterface {
    name = 'Chatbot1795454694233'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "chatbot_conversations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "platform" character varying(16) NOT NULL,
                "fan_handle" character varying(100) NOT NULL,
                "fan_name" character varying(200),
                "subscriber_id" uuid,
                "status" character varying(8) NOT NULL DEFAULT 'open',
                "last_message_at" TIMESTAMP WITH TIME ZONE,
                "unread_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_chatbot_conversations_unread" CHECK ("unread_count" >= 0),
                CONSTRAINT "PK_b0b9e3727249e6c93ac30c14bca" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_68ac6ab5d29dba56f969cb9ced" ON "chatbot_conversations" ("subscriber_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_c2e9b27a17a0909c50b7431d85" ON "chatbot_conversations" ("workspace_id", "last_message_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_chatbot_conversations_fan" ON "chatbot_conversations" ("workspace_id", "platform", "fan_handle")
        `);
        await queryRunner.query(`
            CREATE TABLE "chatbot_auto_reply_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "match_type" character varying(8) NOT NULL,
                "keywords" jsonb,
                "pattern" character varying(200),
                "intent" character varying(20),
                "priority" integer NOT NULL DEFAULT '0',
                "active_hours" jsonb,
                "timezone" character varying(64),
                "cooldown_minutes" integer NOT NULL DEFAULT '0',
                "active" boolean NOT NULL DEFAULT true,
                "reply_type" character varying(8) NOT NULL,
                "template" text,
                "ai_prompt" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_chatbot_auto_reply_rules_cooldown" CHECK ("cooldown_minutes" >= 0),
                CONSTRAINT "PK_ee0c5f953e8cb78395de358c941" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_031cd29911d4771489b28f56f3" ON "chatbot_auto_reply_rules" ("workspace_id", "active", "priority")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_chatbot_auto_reply_rules_name" ON "chatbot_auto_reply_rules" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            CREATE TABLE "chatbot_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "conversation_id" uuid NOT NULL,
                "direction" character varying(8) NOT NULL,
                "body" text NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "author_type" character varying(10) NOT NULL,
                "author_user_id" uuid,
                "auto_reply_rule_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_fa71cffb10870b351cfad908cfc" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_0c2a39397f8eac3df3355a664d" ON "chatbot_messages" (
                "conversation_id",
                "auto_reply_rule_id",
                "sent_at"
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_d22e98afcd605b71bdbe07e324" ON "chatbot_messages" ("conversation_id", "sent_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "chatbot_canned_responses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "body" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5244f635db5fb66369dd3253f62" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_chatbot_canned_responses_name" ON "chatbot_canned_responses" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_conversations"
            ADD CONSTRAINT "FK_20bcf2fc8a43128e33d76bf8e8f" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_conversations"
            ADD CONSTRAINT "FK_68ac6ab5d29dba56f969cb9ced0" FOREIGN KEY ("subscriber_id") REFERENCES "subscribers"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_auto_reply_rules"
            ADD CONSTRAINT "FK_dbfd484f5ced7f9e63e44effbe1" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_messages"
            ADD CONSTRAINT "FK_ecbbbe01809bbb761a8dc89c864" FOREIGN KEY ("conversation_id") REFERENCES "chatbot_conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_messages"
            ADD CONSTRAINT "FK_35129046eb1b39e0fe78723d080" FOREIGN KEY ("author_user_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_messages"
            ADD CONSTRAINT "FK_18122dd295c98eb22d88152b697" FOREIGN KEY ("auto_reply_rule_id") REFERENCES "chatbot_auto_reply_rules"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_canned_responses"
            ADD CONSTRAINT "FK_5f6dd5682fa131457ca46478dcf" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "chatbot_canned_responses" DROP CONSTRAINT "FK_5f6dd5682fa131457ca46478dcf"
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_messages" DROP CONSTRAINT "FK_18122dd295c98eb22d88152b697"
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_messages" DROP CONSTRAINT "FK_35129046eb1b39e0fe78723d080"
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_messages" DROP CONSTRAINT "FK_ecbbbe01809bbb761a8dc89c864"
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_auto_reply_rules" DROP CONSTRAINT "FK_dbfd484f5ced7f9e63e44effbe1"
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_conversations" DROP CONSTRAINT "FK_68ac6ab5d29dba56f969cb9ced0"
        `);
        await queryRunner.query(`
            ALTER TABLE "chatbot_conversations" DROP CONSTRAINT "FK_20bcf2fc8a43128e33d76bf8e8f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_chatbot_canned_responses_name"
        `);
        await queryRunner.query(`
            DROP TABLE "chatbot_canned_responses"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_d22e98afcd605b71bdbe07e324"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_0c2a39397f8eac3df3355a664d"
        `);
        await queryRunner.query(`
            DROP TABLE "chatbot_messages"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_chatbot_auto_reply_rules_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_031cd29911d4771489b28f56f3"
        `);
        await queryRunner.query(`
            DROP TABLE "chatbot_auto_reply_rules"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_chatbot_conversations_fan"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c2e9b27a17a0909c50b7431d85"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_68ac6ab5d29dba56f969cb9ced"
        `);
        await queryRunner.query(`
            DROP TABLE "chatbot_conversations"
        `);
    }

}
