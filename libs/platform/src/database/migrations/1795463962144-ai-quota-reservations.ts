import { MigrationInterface, QueryRunner } from "typeorm";

export class AiQuotaReservations1795463962144 implements MigrationInterface {
    name = 'AiQuotaReservations1795463962144'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "ai_quota_reservations" (
                "job_id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "period" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_90a38d7fbe8d08e32dabe8ecc35" PRIMARY KEY ("job_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_f8192fbb9c2186e2b7598ba7f3" ON "ai_quota_reservations" ("workspace_id", "period")
        `);
        await queryRunner.query(`
            ALTER TABLE "ai_quota_reservations"
            ADD CONSTRAINT "FK_809384a53454b7aec09c822c57d" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "ai_quota_reservations" DROP CONSTRAINT "FK_809384a53454b7aec09c822c57d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_f8192fbb9c2186e2b7598ba7f3"
        `);
        await queryRunner.query(`
            DROP TABLE "ai_quota_reservations"
        `);
    }

}
