import { MigrationInterface, QueryRunner } from "typeorm";

export class StudioAssets1796558352217 implements MigrationInterface {
    name = 'StudioAssets1796558352217'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "studio_assets" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "created_by_id" uuid,
                "title" character varying(255) NOT NULL,
                "original_name" character varying(255) NOT NULL,
                "folder" character varying(255),
                "tags" text array NOT NULL DEFAULT '{}',
                "kind" character varying(16) NOT NULL,
                "mime_type" character varying(100) NOT NULL,
                "size" bigint NOT NULL,
                "storage_key" character varying(500) NOT NULL,
                "source" character varying(16) NOT NULL DEFAULT 'upload',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_fd28d6ffbb69c68e0147aff8353" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_studio_assets_list_created" ON "studio_assets" ("workspace_id", "created_at", "id")
        `);
        await queryRunner.query(`
            ALTER TABLE "studio_assets"
            ADD CONSTRAINT "FK_8bbb25fccf8849eb9f6fed72bc0" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "studio_assets" DROP CONSTRAINT "FK_8bbb25fccf8849eb9f6fed72bc0"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_studio_assets_list_created"
        `);
        await queryRunner.query(`
            DROP TABLE "studio_assets"
        `);
    }

}
