import { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's enrollments of a day: the live part (today) of the stats' campaign funnels. */
export class CampaignLeadsEnrolledIndex1796600000000 implements MigrationInterface {
  name = 'CampaignLeadsEnrolledIndex1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_campaign_leads_enrolled" ON "campaign_leads" ("workspace_id", "enrolled_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_campaign_leads_enrolled"`);
  }
}
