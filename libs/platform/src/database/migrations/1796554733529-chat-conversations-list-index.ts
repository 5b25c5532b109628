import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatConversationsListIndex1796554733529 implements MigrationInterface {
    name = 'ChatConversationsListIndex1796554733529'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_760d3ab0f7647e7a4c5808a616"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_1e7efc4740b60b554654f6f5b5" ON "conversations" (
                "workspace_id",
                "user_id",
                "kind",
                "last_message_at",
                "id"
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_1e7efc4740b60b554654f6f5b5"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_760d3ab0f7647e7a4c5808a616" ON "conversations" ("workspace_id", "user_id", "kind", "updated_at")
        `);
    }

}
