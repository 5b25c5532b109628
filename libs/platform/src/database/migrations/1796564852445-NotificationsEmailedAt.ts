import { MigrationInterface, QueryRunner } from "typeorm";

export class NotificationsEmailedAt1796564852445 implements MigrationInterface {
    name = 'NotificationsEmailedAt1796564852445'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "emailed_at" TIMESTAMP WITH TIME ZONE
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_notifications_unmailed" ON "notifications" ("workspace_id", "created_at")
            WHERE "emailed_at" IS NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_notifications_unmailed"
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "emailed_at"
        `);
    }

}
