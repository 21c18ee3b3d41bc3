import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data products: the product (owner, contract, quality rules, proposed
 * access level, webhook and the reference to its secret), its member
 * datasets, and the contract breach alerts found after harvest runs.
 * Generated from DataProductEntity, DataProductMemberEntity and
 * DataProductAlertEntity.
 */
export class DataProducts1765324800000 implements MigrationInterface {
  name = 'DataProducts1765324800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "data_product" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pid" text NOT NULL, "product_key" text NOT NULL, "title" text NOT NULL, "description" text, "owner_name" text NOT NULL, "owner_kind" text NOT NULL, "owner_contact" text, "contract" jsonb NOT NULL, "quality_rules" jsonb NOT NULL, "default_access_level" text, "webhook_url" text, "webhook_secret_ref" jsonb, "status" text NOT NULL DEFAULT 'active', "created_by" text NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_8b8dfcfbc936fc55447563da2ca" UNIQUE ("pid"), CONSTRAINT "PK_e5745ffbe452ad1de75e0a231f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "data_product_key_idx" ON "data_product" ("product_key") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE TABLE "data_product_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "dataset_pid" text NOT NULL, "breach" text NOT NULL, "field" text, "expected" text, "actual" text, "run_pid" text NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_run_pid" text, "delivery_status" text NOT NULL, "delivery_attempts" integer NOT NULL DEFAULT '0', "delivered_at" TIMESTAMP WITH TIME ZONE, "delivery_error" text, CONSTRAINT "PK_d83ca8f7ebeff9cd692fbe32a0c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "data_product_alert_product_idx" ON "data_product_alert" ("product_id", "detected_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "data_product_dataset" ("product_id" uuid NOT NULL, "dataset_id" uuid NOT NULL, CONSTRAINT "PK_a66496e2bad4464284bbaa56f26" PRIMARY KEY ("product_id", "dataset_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "data_product_dataset_dataset_idx" ON "data_product_dataset" ("dataset_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "data_product_alert" ADD CONSTRAINT "FK_2987170f0418c419709c2464a79" FOREIGN KEY ("product_id") REFERENCES "data_product"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_product_dataset" ADD CONSTRAINT "FK_21c98f36bb37869529d066eba49" FOREIGN KEY ("product_id") REFERENCES "data_product"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_product_dataset" ADD CONSTRAINT "FK_d26dec29d263db2a4b947956443" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "data_product_dataset" DROP CONSTRAINT "FK_d26dec29d263db2a4b947956443"`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_product_dataset" DROP CONSTRAINT "FK_21c98f36bb37869529d066eba49"`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_product_alert" DROP CONSTRAINT "FK_2987170f0418c419709c2464a79"`,
    );
    await queryRunner.query(`DROP INDEX "public"."data_product_dataset_dataset_idx"`);
    await queryRunner.query(`DROP TABLE "data_product_dataset"`);
    await queryRunner.query(`DROP INDEX "public"."data_product_alert_product_idx"`);
    await queryRunner.query(`DROP TABLE "data_product_alert"`);
    await queryRunner.query(`DROP INDEX "public"."data_product_key_idx"`);
    await queryRunner.query(`DROP TABLE "data_product"`);
  }
}
