import { MigrationInterface, QueryRunner } from "typeorm";

export class JobsUserList1796563195489 implements MigrationInterface {
    name = 'JobsUserList1796563195489'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_jobs_workspace_user_created" ON "jobs" ("workspace_id", "user_id", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_jobs_workspace_user_created"
        `);
    }

}
