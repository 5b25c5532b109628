import { MigrationInterface, QueryRunner } from "typeorm";

export class GdprSubjectConsentAiPrivacy1796562673179 implements MigrationInterface {
    name = 'GdprSubjectConsentAiPrivacy1796562673179'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "subject_consent_records" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "email" character varying(320) NOT NULL,
                "purpose" character varying(32) NOT NULL,
                "granted" boolean NOT NULL,
                "source" character varying(16) NOT NULL,
                "recorded_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3526f532e2a39870f27f0b98a8b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_subject_consent_records_lookup" ON "subject_consent_records" (
                "workspace_id",
                "email",
                "purpose",
                "created_at",
                "id"
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "retention_settings"
            ADD "ai_redact_pii" boolean NOT NULL DEFAULT true
        `);
        await queryRunner.query(`
            ALTER TABLE "retention_settings"
            ADD "ai_requires_consent" boolean NOT NULL DEFAULT false
        `);
        await queryRunner.query(`
            ALTER TABLE "ai_usage"
            ADD "data_categories" text array NOT NULL DEFAULT '{}'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "ai_usage" DROP COLUMN "data_categories"
        `);
        await queryRunner.query(`
            ALTER TABLE "retention_settings" DROP COLUMN "ai_requires_consent"
        `);
        await queryRunner.query(`
            ALTER TABLE "retention_settings" DROP COLUMN "ai_redact_pii"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_subject_consent_records_lookup"
        `);
        await queryRunner.query(`
            DROP TABLE "subject_consent_records"
        `);
    }

}
