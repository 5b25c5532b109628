import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: TypeORM cannot describe a GIN index, so the entity only names it
 * (@Index('IDX_leads_tags_gin', { synchronize: false })) and this migration creates it.
 */
export class LeadsTagsGinIndex1795449718747 implements MigrationInterface {
  name = 'LeadsTagsGinIndex1795449718747';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_leads_tags_gin" ON "leads" USING GIN ("tags")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_leads_tags_gin"`);
  }
}
