import { MigrationInterface, QueryRunner } from "typeorm";

export class Billing1796554120286 implements MigrationInterface {
    name = 'Billing1796554120286'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "billing_accounts" (
                "workspace_id" uuid NOT NULL,
                "stripe_customer_id" character varying(255),
                "stripe_subscription_id" character varying(255),
                "subscribed_plan" character varying(32),
                "billing_cycle" character varying(16),
                "subscription_status" character varying(32),
                "current_period_end" TIMESTAMP WITH TIME ZONE,
                "cancel_at_period_end" boolean NOT NULL DEFAULT false,
                "credits_balance" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_billing_accounts_credits" CHECK (credits_balance >= 0),
                CONSTRAINT "PK_358973331fd1c149ce52987c908" PRIMARY KEY ("workspace_id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_d342d08aa2b03a5a37881db7c6" ON "billing_accounts" ("stripe_customer_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "stripe_events" (
                "id" character varying(255) NOT NULL,
                "type" character varying(100) NOT NULL,
                "workspace_id" uuid,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_4204ce6f4951fe64e8f9233db4" ON "stripe_events" ("workspace_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_5a49059c3ba6768ed818908a75" ON "stripe_events" ("received_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "billing_invoices" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "stripe_invoice_id" character varying(255) NOT NULL,
                "number" character varying(100),
                "status" character varying(32) NOT NULL,
                "amount_due" bigint NOT NULL,
                "amount_paid" bigint NOT NULL,
                "currency" character varying(3) NOT NULL,
                "hosted_invoice_url" character varying(2048),
                "invoice_pdf" character varying(2048),
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9dbe3b4ca302c61707224bf3835" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_67e126e24f07c0e4992f60d0ca" ON "billing_invoices" ("stripe_invoice_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_billing_invoices_list" ON "billing_invoices" ("workspace_id", "issued_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "credit_ledger" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "kind" character varying(16) NOT NULL,
                "delta" integer NOT NULL,
                "balance_after" integer NOT NULL,
                "pack_id" character varying(32),
                "reference" character varying(255),
                "amount" bigint,
                "currency" character varying(3),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7ff08f655cf2f4d118c116571db" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_credit_ledger_reference" ON "credit_ledger" ("reference")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_credit_ledger_list" ON "credit_ledger" ("workspace_id", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_credit_ledger_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_credit_ledger_reference"
        `);
        await queryRunner.query(`
            DROP TABLE "credit_ledger"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_billing_invoices_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_67e126e24f07c0e4992f60d0ca"
        `);
        await queryRunner.query(`
            DROP TABLE "billing_invoices"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_5a49059c3ba6768ed818908a75"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_4204ce6f4951fe64e8f9233db4"
        `);
        await queryRunner.query(`
            DROP TABLE "stripe_events"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_d342d08aa2b03a5a37881db7c6"
        `);
        await queryRunner.query(`
            DROP TABLE "billing_accounts"
        `);
    }

}
