import { MigrationInterface, QueryRunner } from "typeorm";

export class GdprConsentAndForum1796556122450 implements MigrationInterface {
    name = 'GdprConsentAndForum1796556122450'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "consent_records" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "purpose" character varying(32) NOT NULL,
                "granted" boolean NOT NULL,
                "policy_version" character varying(32) NOT NULL,
                "ip" character varying(64),
                "user_agent" character varying(512),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_030be152eaa44998166470b2ccc" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_consent_records_user_created" ON "consent_records" ("user_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "forum_topics" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "category" character varying(32) NOT NULL,
                "title" character varying(200) NOT NULL,
                "content" text NOT NULL,
                "content_html" text NOT NULL,
                "user_id" uuid,
                "user_name" character varying(200) NOT NULL,
                "views" integer NOT NULL DEFAULT '0',
                "comment_count" integer NOT NULL DEFAULT '0',
                "is_pinned" boolean NOT NULL DEFAULT false,
                "is_locked" boolean NOT NULL DEFAULT false,
                "is_hidden" boolean NOT NULL DEFAULT false,
                "edited_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c3cfc62a16863804757504742b4" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7888698fa68f0d0eef63f91c63" ON "forum_topics" ("user_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_forum_topics_category_list" ON "forum_topics" ("category", "is_pinned", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_forum_topics_list" ON "forum_topics" ("is_pinned", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "forum_topic_views" (
                "topic_id" uuid NOT NULL,
                "reader" character varying(80) NOT NULL,
                "hour" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a8e951865cedbe286555473afbd" PRIMARY KEY ("topic_id", "reader", "hour")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "forum_comments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic_id" uuid NOT NULL,
                "content" text NOT NULL,
                "content_html" text NOT NULL,
                "user_id" uuid,
                "user_name" character varying(200) NOT NULL,
                "is_hidden" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1c860feac1713d199c00ce1e9d1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_eb2baddd05b6ce30343a8f2531" ON "forum_comments" ("user_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_forum_comments_topic_created" ON "forum_comments" ("topic_id", "created_at", "id")
        `);
        await queryRunner.query(`
            ALTER TABLE "forum_topic_views"
            ADD CONSTRAINT "FK_79e74383f73b3ca440de42bbbed" FOREIGN KEY ("topic_id") REFERENCES "forum_topics"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "forum_comments"
            ADD CONSTRAINT "FK_84c7a0b9ea1f88c9a62cfca9cc6" FOREIGN KEY ("topic_id") REFERENCES "forum_topics"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "forum_comments" DROP CONSTRAINT "FK_84c7a0b9ea1f88c9a62cfca9cc6"
        `);
        await queryRunner.query(`
            ALTER TABLE "forum_topic_views" DROP CONSTRAINT "FK_79e74383f73b3ca440de42bbbed"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_forum_comments_topic_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_eb2baddd05b6ce30343a8f2531"
        `);
        await queryRunner.query(`
            DROP TABLE "forum_comments"
        `);
        await queryRunner.query(`
            DROP TABLE "forum_topic_views"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_forum_topics_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_forum_topics_category_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7888698fa68f0d0eef63f91c63"
        `);
        await queryRunner.query(`
            DROP TABLE "forum_topics"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_consent_records_user_created"
        `);
        await queryRunner.query(`
            DROP TABLE "consent_records"
        `);
    }

}
