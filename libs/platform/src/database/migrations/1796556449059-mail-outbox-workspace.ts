import { MigrationInterface, QueryRunner } from "typeorm";

export class MailOutboxWorkspace1796556449059 implements MigrationInterface {
    name = 'MailOutboxWorkspace1796556449059'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "mail_outbox"
            ADD "workspace_id" uuid
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_025bc775a63c997995344e04e0" ON "mail_outbox" ("workspace_id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_025bc775a63c997995344e04e0"
        `);
        await queryRunner.query(`
            ALTER TABLE "mail_outbox" DROP COLUMN "workspace_id"
        `);
    }

}
