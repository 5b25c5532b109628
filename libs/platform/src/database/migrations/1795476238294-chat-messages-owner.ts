import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatMessagesOwner1795476238294 implements MigrationInterface {
    name = 'ChatMessagesOwner1795476238294'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Edited by hand: existing messages take their conversation's owner and kind before NOT NULL.
        await queryRunner.query(`
            ALTER TABLE "chat_messages"
            ADD "user_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "chat_messages"
            ADD "conversation_kind" character varying(16)
        `);
        await queryRunner.query(`
            UPDATE "chat_messages" m
               SET "user_id" = c."user_id", "conversation_kind" = c."kind"
              FROM "conversations" c
             WHERE c."id" = m."conversation_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "chat_messages"
            ALTER COLUMN "user_id" SET NOT NULL,
            ALTER COLUMN "conversation_kind" SET NOT NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "chat_messages" DROP COLUMN "conversation_kind"
        `);
        await queryRunner.query(`
            ALTER TABLE "chat_messages" DROP COLUMN "user_id"
        `);
    }

}
