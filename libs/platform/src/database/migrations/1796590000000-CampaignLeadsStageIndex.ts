import { MigrationInterface, QueryRunner } from 'typeorm';

/** A campaign's enrollments of one stage, in the list's order: the stage filter's page and its capped count. */
export class CampaignLeadsStageIndex1796590000000 implements MigrationInterface {
  name = 'CampaignLeadsStageIndex1796590000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "IDX_campaign_leads_stage_list" ON "campaign_leads" (
                "workspace_id",
                "campaign_id",
                "stage",
                "enrolled_at",
                "lead_id"
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_campaign_leads_stage_list"`);
  }
}
