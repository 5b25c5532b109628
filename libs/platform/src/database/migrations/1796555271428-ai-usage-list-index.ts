import { MigrationInterface, QueryRunner } from "typeorm";

export class AiUsageListIndex1796555271428 implements MigrationInterface {
    name = 'AiUsageListIndex1796555271428'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_fc8021bd148e2875a9aa6fec3f"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_6176f2c4d879ea6cfe667cd06d" ON "ai_usage" ("workspace_id", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_6176f2c4d879ea6cfe667cd06d"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_fc8021bd148e2875a9aa6fec3f" ON "ai_usage" ("workspace_id", "created_at")
        `);
    }

}
