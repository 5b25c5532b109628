import { MigrationInterface, QueryRunner } from "typeorm";

export class ImportCheckpoints1796551389225 implements MigrationInterface {
    name = 'ImportCheckpoints1796551389225'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "lead_import_failures" (
                "job_id" uuid NOT NULL,
                "line" integer NOT NULL,
                "reason" text NOT NULL,
                "raw" text NOT NULL,
                CONSTRAINT "PK_675d620f49f3be09f4ee1b8fa35" PRIMARY KEY ("job_id", "line")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "jobs"
            ADD "checkpoint" jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "lead_import_failures"
            ADD CONSTRAINT "FK_79ecea7954c8a5b761ccf766684" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "lead_import_failures" DROP CONSTRAINT "FK_79ecea7954c8a5b761ccf766684"
        `);
        await queryRunner.query(`
            ALTER TABLE "jobs" DROP COLUMN "checkpoint"
        `);
        await queryRunner.query(`
            DROP TABLE "lead_import_failures"
        `);
    }

}
