import { MigrationInterface, QueryRunner } from "typeorm";

export class Invitations1796551513012 implements MigrationInterface {
    name = 'Invitations1796551513012'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "invitations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "email" character varying(320) NOT NULL,
                "role" character varying(16) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "token_hash" character(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "invited_by_id" uuid,
                "responded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_872ac94a64b3d44fc4b554780cd" UNIQUE ("token_hash"),
                CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_97ab59cb592c7cec109741b592" ON "invitations" ("email")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_invitations_pending_email" ON "invitations" ("workspace_id", "email")
            WHERE "status" = 'pending'
        `);
        await queryRunner.query(`
            ALTER TABLE "invitations"
            ADD CONSTRAINT "FK_37d2c3ed527014368be5302bdec" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "invitations" DROP CONSTRAINT "FK_37d2c3ed527014368be5302bdec"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_invitations_pending_email"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_97ab59cb592c7cec109741b592"
        `);
        await queryRunner.query(`
            DROP TABLE "invitations"
        `);
    }

}
