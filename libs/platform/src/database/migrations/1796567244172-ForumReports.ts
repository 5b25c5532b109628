import { MigrationInterface, QueryRunner } from "typeorm";

export class ForumReports1796567244172 implements MigrationInterface {
    name = 'ForumReports1796567244172'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "forum_reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic_id" uuid NOT NULL,
                "comment_id" uuid,
                "reporter_id" uuid,
                "reason" character varying(500) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'open',
                "handled_by_id" uuid,
                "handled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5f7331fedc27ce128560be79041" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_forum_reports_status_created" ON "forum_reports" ("status", "created_at", "id")
        `);
        await queryRunner.query(`
            ALTER TABLE "forum_reports"
            ADD CONSTRAINT "FK_d04eab9f3635519150e84c32c00" FOREIGN KEY ("topic_id") REFERENCES "forum_topics"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "forum_reports"
            ADD CONSTRAINT "FK_26d3b8359255099f493ca440c69" FOREIGN KEY ("comment_id") REFERENCES "forum_comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "forum_reports" DROP CONSTRAINT "FK_26d3b8359255099f493ca440c69"
        `);
        await queryRunner.query(`
            ALTER TABLE "forum_reports" DROP CONSTRAINT "FK_d04eab9f3635519150e84c32c00"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_forum_reports_status_created"
        `);
        await queryRunner.query(`
            DROP TABLE "forum_reports"
        `);
    }

}
