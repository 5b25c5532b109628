import { MigrationInterface, QueryRunner } from "typeorm";

export class AiQuotaCreditSource1796554968620 implements MigrationInterface {
    name = 'AiQuotaCreditSource1796554968620'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "ai_quota_reservations"
            ADD "source" character varying(8) NOT NULL DEFAULT 'quota'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "ai_quota_reservations" DROP COLUMN "source"
        `);
    }

}
