import { MigrationInterface, QueryRunner } from "typeorm";

export class LeadsAndNiches1795449717747 implements MigrationInterface {
    name = 'LeadsAndNiches1795449717747'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "niches" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "description" text,
                "keywords" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d0215f97e70a9565e6db34d341f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_a7c157b73936343385ec64b891" ON "niches" ("workspace_id", "name")
        `);
        await queryRunner.query(`
            CREATE TABLE "leads" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "name" character varying(200) NOT NULL,
                "email" character varying(320),
                "phone" character varying(50),
                "company" character varying(200),
                "job_title" character varying(200),
                "source" character varying(100),
                "status" character varying(16) NOT NULL DEFAULT 'new',
                "niche_id" uuid,
                "tags" text array NOT NULL DEFAULT '{}',
                "score" integer NOT NULL DEFAULT '0',
                "notes" text,
                "custom_fields" jsonb NOT NULL DEFAULT '{}',
                "owner_id" uuid,
                "last_contacted_at" TIMESTAMP WITH TIME ZONE,
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_leads_score_range" CHECK (
                    "score" >= 0
                    AND "score" <= 100
                ),
                CONSTRAINT "PK_cd102ed7a9a4ca7d4d8bfeba406" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_08f23b2cedd4d77e5ca8d849f6" ON "leads" ("workspace_id", "niche_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_037102507979bbef7bb59f526b" ON "leads" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8f0b14f5586b5840d5052a260e" ON "leads" ("workspace_id", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_leads_workspace_email_active" ON "leads" ("workspace_id", "email")
            WHERE "deleted_at" IS NULL
                AND "email" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "lead_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "lead_id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "type" character varying(32) NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "actor_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_38013d55900c219b7bb52f90122" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8909a9c97cfdca7b238a5471ab" ON "lead_events" ("workspace_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_5e6563a07045ba820e14baa796" ON "lead_events" ("lead_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "niches"
            ADD CONSTRAINT "FK_556428220bfff5389089622c882" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "leads"
            ADD CONSTRAINT "FK_4557dfa46083f411b94a40f615d" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "leads"
            ADD CONSTRAINT "FK_eb44ac351c6ca15b014e35d82c3" FOREIGN KEY ("niche_id") REFERENCES "niches"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "lead_events"
            ADD CONSTRAINT "FK_5f01589188405d4107fff0362fe" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "lead_events" DROP CONSTRAINT "FK_5f01589188405d4107fff0362fe"
        `);
        await queryRunner.query(`
            ALTER TABLE "leads" DROP CONSTRAINT "FK_eb44ac351c6ca15b014e35d82c3"
        `);
        await queryRunner.query(`
            ALTER TABLE "leads" DROP CONSTRAINT "FK_4557dfa46083f411b94a40f615d"
        `);
        await queryRunner.query(`
            ALTER TABLE "niches" DROP CONSTRAINT "FK_556428220bfff5389089622c882"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_5e6563a07045ba820e14baa796"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8909a9c97cfdca7b238a5471ab"
        `);
        await queryRunner.query(`
            DROP TABLE "lead_events"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_leads_workspace_email_active"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8f0b14f5586b5840d5052a260e"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_037102507979bbef7bb59f526b"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_08f23b2cedd4d77e5ca8d849f6"
        `);
        await queryRunner.query(`
            DROP TABLE "leads"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_a7c157b73936343385ec64b891"
        `);
        await queryRunner.query(`
            DROP TABLE "niches"
        `);
    }

}
