import { MigrationInterface, QueryRunner } from "typeorm";

export class OauthIdentities1796555294167 implements MigrationInterface {
    name = 'OauthIdentities1796555294167'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "oauth_identities" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "provider" character varying(32) NOT NULL,
                "provider_user_id" character varying(255) NOT NULL,
                "user_id" uuid NOT NULL,
                "email" character varying(320) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_login_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_095205cf320039e4ce248933681" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_b13247ad5cd3fca4761084cf1a" ON "oauth_identities" ("user_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_028aac27b9c74d600a727dd84d" ON "oauth_identities" ("provider", "provider_user_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "oauth_identities"
            ADD CONSTRAINT "FK_b13247ad5cd3fca4761084cf1a0" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "oauth_identities" DROP CONSTRAINT "FK_b13247ad5cd3fca4761084cf1a0"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_028aac27b9c74d600a727dd84d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_b13247ad5cd3fca4761084cf1a"
        `);
        await queryRunner.query(`
            DROP TABLE "oauth_identities"
        `);
    }

}
