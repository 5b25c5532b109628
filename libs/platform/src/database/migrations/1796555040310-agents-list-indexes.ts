import { MigrationInterface, QueryRunner } from "typeorm";

export class AgentsListIndexes1796555040310 implements MigrationInterface {
    name = 'AgentsListIndexes1796555040310'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_99073f89afe0e6c69e62719d81"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_f88fbe5fcbfdc01a525bcdba25" ON "agents" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_a845ded22fa0d400615d44a953" ON "agent_logs" ("agent_id", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_a845ded22fa0d400615d44a953"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_f88fbe5fcbfdc01a525bcdba25"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_99073f89afe0e6c69e62719d81" ON "agent_logs" ("agent_id", "created_at")
        `);
    }

}
