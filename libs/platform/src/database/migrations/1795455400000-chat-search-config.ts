import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: the text search configuration of chat search (TypeORM cannot describe one). `simple`
 * (no stemming, so any language is matched word for word) with unaccent first, so "fenêtre" matches
 * "fenetre" and "Été" matches "ete". Runs before the chat tables, whose generated tsvector columns use it.
 */
export class ChatSearchConfig1795455400000 implements MigrationInterface {
  name = 'ChatSearchConfig1795455400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(`CREATE TEXT SEARCH CONFIGURATION crescendo_search (COPY = simple)`);
    await queryRunner.query(
      `ALTER TEXT SEARCH CONFIGURATION crescendo_search
         ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TEXT SEARCH CONFIGURATION crescendo_search`);
  }
}
