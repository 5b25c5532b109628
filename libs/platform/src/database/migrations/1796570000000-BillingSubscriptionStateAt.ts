import { MigrationInterface, QueryRunner } from "typeorm";

export class BillingSubscriptionStateAt1796570000000 implements MigrationInterface {
    name = 'BillingSubscriptionStateAt1796570000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "billing_accounts"
            ADD "subscription_state_at" TIMESTAMP WITH TIME ZONE
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "billing_accounts" DROP COLUMN "subscription_state_at"
        `);
    }

}
