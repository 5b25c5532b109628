import { MigrationInterface, QueryRunner } from "typeorm";

export class TrackedJobs1795452998266 implements MigrationInterface {
    name = 'TrackedJobs1795452998266'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "jobs" (
                "id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "user_id" uuid,
                "name" character varying(64) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'PENDING',
                "progress" smallint NOT NULL DEFAULT '0',
                "message" character varying(300),
                "result" jsonb,
                "error" jsonb,
                "files" jsonb NOT NULL DEFAULT '[]',
                "attempts" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_cf0a6c42b72fcc7f7c237def345" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_a8762d6912f0ca816696c90e80" ON "jobs" ("finished_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_389866d9d3f531501941c6a869" ON "jobs" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "jobs"
            ADD CONSTRAINT "FK_58f07a7fbd5d546cc8ff788ea2d" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "jobs" DROP CONSTRAINT "FK_58f07a7fbd5d546cc8ff788ea2d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_389866d9d3f531501941c6a869"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_a8762d6912f0ca816696c90e80"
        `);
        await queryRunner.query(`
            DROP TABLE "jobs"
        `);
    }

}
