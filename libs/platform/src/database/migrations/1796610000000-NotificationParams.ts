import { MigrationInterface, QueryRunner } from 'typeorm';

/** A notification's kind parameters: its text is written in each reader's language when read. */
export class NotificationParams1796610000000 implements MigrationInterface {
  name = 'NotificationParams1796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "params" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "params"`);
  }
}
