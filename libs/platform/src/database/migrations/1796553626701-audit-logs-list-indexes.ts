import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditLogsListIndexes1796553626701 implements MigrationInterface {
    name = 'AuditLogsListIndexes1796553626701'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_f54ec4df9301dfcfe74a9d4d15"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_46a2bc82e4d3575f85cb44c4f3"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_13738dab6e5548841be1673bbc" ON "audit_logs" ("workspace_id", "type", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7df33923e43079d226712f51c7" ON "audit_logs" ("workspace_id", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7df33923e43079d226712f51c7"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_13738dab6e5548841be1673bbc"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_46a2bc82e4d3575f85cb44c4f3" ON "audit_logs" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_f54ec4df9301dfcfe74a9d4d15" ON "audit_logs" ("workspace_id", "type", "created_at")
        `);
    }

}
