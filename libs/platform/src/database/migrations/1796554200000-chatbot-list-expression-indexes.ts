import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: TypeORM cannot describe expression or trigram indexes, so the chatbot entities only name
 * them ({ synchronize: false }) and this migration creates them. The inbox sorts on
 * COALESCE(last_message_at, '-infinity') (a conversation without a message last), the rules list on -priority.
 */
export class ChatbotListExpressionIndexes1796554200000 implements MigrationInterface {
  name = 'ChatbotListExpressionIndexes1796554200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "IDX_chatbot_conversations_list" ON "chatbot_conversations"
         ("workspace_id", (COALESCE("last_message_at", '-infinity'::timestamptz)), "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_chatbot_conversations_fan_handle_trgm" ON "chatbot_conversations"
         USING GIN ("fan_handle" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_chatbot_conversations_fan_name_trgm" ON "chatbot_conversations"
         USING GIN ("fan_name" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_chatbot_auto_reply_rules_list" ON "chatbot_auto_reply_rules"
         ("workspace_id", (-"priority"), "created_at", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_chatbot_auto_reply_rules_list"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chatbot_conversations_fan_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chatbot_conversations_fan_handle_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chatbot_conversations_list"`);
  }
}
