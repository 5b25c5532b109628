import { MigrationInterface, QueryRunner } from "typeorm";

export class StudioAssetMetadata1796562907968 implements MigrationInterface {
    name = 'StudioAssetMetadata1796562907968'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD "job_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD "width" integer
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD "height" integer
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD "duration_seconds" double precision
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD "metadata" jsonb NOT NULL DEFAULT '{}'
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD "thumbnail_key" character varying(500)
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP COLUMN "thumbnail_key"
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP COLUMN "metadata"
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP COLUMN "duration_seconds"
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP COLUMN "height"
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP COLUMN "width"
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP COLUMN "job_id"
        `);
    }

}
