import { MigrationInterface, QueryRunner } from "typeorm";

export class Chat1795455438523 implements MigrationInterface {
    name = 'Chat1795455438523'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Edited: the generated column metadata names the current database, not the one it was generated on.
        const db = await queryRunner.getCurrentDatabase();
        // The CLI creates this table when it sees generated columns; a DataSource without entities (tests) does not.
        await queryRunner.query(`CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`);
        await queryRunner.query(`
            INSERT INTO "typeorm_metadata"(
                    "database",
                    "schema",
                    "table",
                    "type",
                    "name",
                    "value"
                )
            VALUES ($1, $2, $3, $4, $5, $6)
        `, [db,"public","conversations","GENERATED_COLUMN","search_vector","to_tsvector('crescendo_search'::regconfig, coalesce(\"title\", ''))"]);
        await queryRunner.query(`
            CREATE TABLE "conversations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "kind" character varying(16) NOT NULL DEFAULT 'chat',
                "title" character varying(200) NOT NULL,
                "folder" character varying(100) NOT NULL DEFAULT 'Général',
                "is_favorite" boolean NOT NULL DEFAULT false,
                "tags" text array NOT NULL DEFAULT '{}',
                "message_count" integer NOT NULL DEFAULT '0',
                "last_message_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "closed_at" TIMESTAMP WITH TIME ZONE,
                "search_vector" tsvector GENERATED ALWAYS AS (
                    to_tsvector(
                        'crescendo_search'::regconfig,
                        coalesce("title", '')
                    )
                ) STORED NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_6f35af04d7f792f30246189723" ON "conversations" ("workspace_id", "user_id", "folder")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_760d3ab0f7647e7a4c5808a616" ON "conversations" ("workspace_id", "user_id", "kind", "updated_at")
        `);
        await queryRunner.query(`
            INSERT INTO "typeorm_metadata"(
                    "database",
                    "schema",
                    "table",
                    "type",
                    "name",
                    "value"
                )
            VALUES ($1, $2, $3, $4, $5, $6)
        `, [db,"public","chat_messages","GENERATED_COLUMN","search_vector","to_tsvector('crescendo_search'::regconfig, \"content\")"]);
        await queryRunner.query(`
            CREATE TABLE "chat_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "conversation_id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "role" character varying(16) NOT NULL,
                "content" text NOT NULL DEFAULT '',
                "provider" character varying(100),
                "model" character varying(100),
                "tokens_in" integer,
                "tokens_out" integer,
                "latency_ms" integer,
                "error" character varying(64),
                "search_vector" tsvector GENERATED ALWAYS AS (
                    to_tsvector('crescendo_search'::regconfig, "content")
                ) STORED NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "PK_40c55ee0e571e268b0d3cd37d10" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_bdfd8165e694fe9d3ce4140c87" ON "chat_messages" ("conversation_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "conversations"
            ADD CONSTRAINT "FK_2136015a4b73fb4898773f2226f" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "conversations"
            ADD CONSTRAINT "FK_3a9ae579e61e81cc0e989afeb4a" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "chat_messages"
            ADD CONSTRAINT "FK_3d623662d4ee1219b23cf61e649" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Edited: the generated column metadata names the current database, not the one it was generated on.
        const db = await queryRunner.getCurrentDatabase();
        await queryRunner.query(`
            ALTER TABLE "chat_messages" DROP CONSTRAINT "FK_3d623662d4ee1219b23cf61e649"
        `);
        await queryRunner.query(`
            ALTER TABLE "conversations" DROP CONSTRAINT "FK_3a9ae579e61e81cc0e989afeb4a"
        `);
        await queryRunner.query(`
            ALTER TABLE "conversations" DROP CONSTRAINT "FK_2136015a4b73fb4898773f2226f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_bdfd8165e694fe9d3ce4140c87"
        `);
        await queryRunner.query(`
            DROP TABLE "chat_messages"
        `);
        await queryRunner.query(`
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = $3
                AND "schema" = $4
                AND "table" = $5
        `, ["GENERATED_COLUMN","search_vector",db,"public","chat_messages"]);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_760d3ab0f7647e7a4c5808a616"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_6f35af04d7f792f30246189723"
        `);
        await queryRunner.query(`
            DROP TABLE "conversations"
        `);
        await queryRunner.query(`
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = $3
                AND "schema" = $4
                AND "table" = $5
        `, ["GENERATED_COLUMN","search_vector",db,"public","conversations"]);
    }

}
