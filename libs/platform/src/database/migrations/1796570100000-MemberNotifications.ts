import { MigrationInterface, QueryRunner } from 'typeorm';

/** A member's own in-app notifications (forum mentions): a recipient, no workspace. */
export class MemberNotifications1796570100000 implements MigrationInterface {
  name = 'MemberNotifications1796570100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "workspace_id" DROP NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_user" ON "notifications" ("user_id", "created_at", "id") WHERE "user_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "FK_9a8a82462cab47c73d25f49261f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_9a8a82462cab47c73d25f49261f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_user"`);
    await queryRunner.query(`DELETE FROM "notifications" WHERE "workspace_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "workspace_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "user_id"`);
  }
}
