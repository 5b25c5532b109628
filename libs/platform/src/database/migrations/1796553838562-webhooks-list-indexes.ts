import { MigrationInterface, QueryRunner } from "typeorm";

export class WebhooksListIndexes1796553838562 implements MigrationInterface {
    name = 'WebhooksListIndexes1796553838562'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7722d8f6190322e2af41f5eb70"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_b8506b4ae947ea1193e84ac790"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_90d878c7d3ce99fb2ef328d4d5"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_c0985893f932049b375a40e236" ON "webhook_deliveries_inbound" ("workspace_id", "received_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_f3cf18f89014c18e7379d2b770" ON "webhook_endpoints" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_3f867d0adaf5ef6a96eb4cccde" ON "webhook_deliveries" ("endpoint_id", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_3f867d0adaf5ef6a96eb4cccde"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_f3cf18f89014c18e7379d2b770"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c0985893f932049b375a40e236"
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_90d878c7d3ce99fb2ef328d4d5" ON "webhook_deliveries" ("endpoint_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_b8506b4ae947ea1193e84ac790" ON "webhook_endpoints" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7722d8f6190322e2af41f5eb70" ON "webhook_deliveries_inbound" ("workspace_id", "received_at")
        `);
    }

}
