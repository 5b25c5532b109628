import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatbotListIndexes1796554119927 implements MigrationInterface {
    name = 'ChatbotListIndexes1796554119927'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c2e9b27a17a0909c50b7431d85"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_d22e98afcd605b71bdbe07e324"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_dddd1e22518978a3d2dcb8ff37" ON "chatbot_messages" ("conversation_id", "sent_at", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_4ff9c9db62cff35558665e768f" ON "chatbot_canned_responses" ("workspace_id", "name", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_4ff9c9db62cff35558665e768f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_dddd1e22518978a3d2dcb8ff37"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_d22e98afcd605b71bdbe07e324" ON "chatbot_messages" ("conversation_id", "sent_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_c2e9b27a17a0909c50b7431d85" ON "chatbot_conversations" ("workspace_id", "last_message_at")
        `);
    }

}
