import { MigrationInterface, QueryRunner } from "typeorm";

export class BillingWorkspaceKeys1796564264692 implements MigrationInterface {
    name = 'BillingWorkspaceKeys1796564264692'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Rows of workspaces deleted before the keys existed would refuse them.
        for (const table of ['billing_accounts', 'billing_invoices', 'credit_ledger']) {
            await queryRunner.query(`DELETE FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM "workspaces" w WHERE w."id" = t."workspace_id")`);
        }
        await queryRunner.query(`
            UPDATE "stripe_events" e SET "workspace_id" = NULL
             WHERE "workspace_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "workspaces" w WHERE w."id" = e."workspace_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "billing_accounts"
            ADD CONSTRAINT "FK_358973331fd1c149ce52987c908" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "stripe_events"
            ADD CONSTRAINT "FK_4204ce6f4951fe64e8f9233db4c" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "billing_invoices"
            ADD CONSTRAINT "FK_d80d721fec4c84bbaa9d37303cb" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "credit_ledger"
            ADD CONSTRAINT "FK_f3373b7a0540bc381631132e9c6" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "credit_ledger" DROP CONSTRAINT "FK_f3373b7a0540bc381631132e9c6"
        `);
        await queryRunner.query(`
            ALTER TABLE "billing_invoices" DROP CONSTRAINT "FK_d80d721fec4c84bbaa9d37303cb"
        `);
        await queryRunner.query(`
            ALTER TABLE "stripe_events" DROP CONSTRAINT "FK_4204ce6f4951fe64e8f9233db4c"
        `);
        await queryRunner.query(`
            ALTER TABLE "billing_accounts" DROP CONSTRAINT "FK_358973331fd1c149ce52987c908"
        `);
    }

}
