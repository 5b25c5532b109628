import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: TypeORM cannot describe a GIN index, so the entities only name them
 * (@Index(..., { synchronize: false })) and this migration creates them on the generated tsvector columns.
 */
export class ChatSearchGinIndexes1795455438600 implements MigrationInterface {
  name = 'ChatSearchGinIndexes1795455438600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_chat_messages_search_gin" ON "chat_messages" USING GIN ("search_vector")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_conversations_search_gin" ON "conversations" USING GIN ("search_vector")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_search_gin"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chat_messages_search_gin"`);
  }
}
