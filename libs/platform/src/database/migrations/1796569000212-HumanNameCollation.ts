import { MigrationInterface, QueryRunner } from 'typeorm';

/** The human-name columns, with their declared length, that take HUMAN_NAME_COLLATION (libs/platform). */
const columns: [table: string, column: string, length: number][] = [
  ['leads', 'name', 200],
  ['leads', 'company', 200],
  ['niches', 'name', 100],
  ['segments', 'name', 100],
  ['campaigns', 'name', 200],
  ['subscribers', 'display_name', 200],
];

/**
 * Written by hand: TypeORM's generated version drops the varchar length and recreates the indexes with their
 * columns out of order. ALTER COLUMN TYPE … COLLATE rebuilds every index on the column itself (the list, unique
 * and trigram indexes), with the new collation, under the table's lock.
 */
export class HumanNameCollation1796569000212 implements MigrationInterface {
  name = 'HumanNameCollation1796569000212';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column, length] of columns) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE character varying(${length}) COLLATE "und-x-icu"`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column, length] of columns) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE character varying(${length}) COLLATE pg_catalog."default"`,
      );
    }
  }
}
