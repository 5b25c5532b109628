import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: lead_events loses its foreign key to leads, and a statement-level trigger deletes the
 * events of deleted leads instead (one set-based DELETE per statement, where ON DELETE CASCADE ran one per
 * lead). The key's check cost more than the event row itself: ≈ 19 µs a row, about half an import's
 * database time (bench/README.md). Events are only written by the code that has just written or locked
 * their lead, in the same transaction.
 */
export class LeadEventsSetBasedCascade1795466000000 implements MigrationInterface {
  name = 'LeadEventsSetBasedCascade1795466000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lead_events" DROP CONSTRAINT "FK_5f01589188405d4107fff0362fe"`);
    await queryRunner.query(`
      CREATE FUNCTION lead_events_follow_deleted_leads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM lead_events e USING deleted_leads d WHERE e.lead_id = d.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER lead_events_follow_deleted_leads AFTER DELETE ON leads
        REFERENCING OLD TABLE AS deleted_leads FOR EACH STATEMENT
        EXECUTE FUNCTION lead_events_follow_deleted_leads()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lead_events_follow_deleted_leads ON leads`);
    await queryRunner.query(`DROP FUNCTION lead_events_follow_deleted_leads()`);
    await queryRunner.query(`DELETE FROM lead_events e WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = e.lead_id)`);
    await queryRunner.query(
      `ALTER TABLE "lead_events" ADD CONSTRAINT "FK_5f01589188405d4107fff0362fe" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
