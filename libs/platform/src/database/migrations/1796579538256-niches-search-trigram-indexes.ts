import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: TypeORM cannot describe trigram indexes, so the entity only names them ({ synchronize: false }).
 * The niches list's `q` is ILIKE '%…%' on the name or the description: a GIN trigram index on each serves it
 * (a BitmapOr of the two) instead of a filter over every niche of the workspace and a sort of the matches.
 */
export class NichesSearchTrigramIndexes1796579538256 implements MigrationInterface {
  name = 'NichesSearchTrigramIndexes1796579538256';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "IDX_niches_name_trgm" ON "niches" USING GIN ("name" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "IDX_niches_description_trgm" ON "niches" USING GIN ("description" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_niches_description_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_niches_name_trgm"`);
  }
}
