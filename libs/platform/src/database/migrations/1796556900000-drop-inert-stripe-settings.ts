import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workspace Stripe keys (settings › integrations) were stored and read by nothing: the fields are gone
 * from the API, and the sealed values stored so far are erased rather than left behind.
 */
export class DropInertStripeSettings1796556900000 implements MigrationInterface {
  name = 'DropInertStripeSettings1796556900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "workspace_settings"
         SET "data" = "data" - 'stripeSecretKey' - 'stripeWebhookSecret'
       WHERE "section" = 'integrations' AND ("data" ? 'stripeSecretKey' OR "data" ? 'stripeWebhookSecret')
    `);
  }

  public async down(): Promise<void> {
    // The erased secrets cannot come back; reading settings without them gives the former defaults (null).
  }
}
