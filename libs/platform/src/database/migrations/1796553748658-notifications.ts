import { MigrationInterface, QueryRunner } from "typeorm";

export class Notifications1796553748658 implements MigrationInterface {
    name = 'Notifications1796553748658'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "event_id" uuid NOT NULL,
                "kind" character varying(50) NOT NULL,
                "level" character varying(10) NOT NULL,
                "message" character varying(500) NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_6e28bd266f2b68f73f1a5d7a462" UNIQUE ("event_id"),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_notifications_unread" ON "notifications" ("workspace_id")
            WHERE "read_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_283114adaf1f0206576b913fe9" ON "notifications" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "FK_ff8a9bf1b558104a843964c01ec" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "FK_ff8a9bf1b558104a843964c01ec"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_283114adaf1f0206576b913fe9"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_notifications_unread"
        `);
        await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    }

}
