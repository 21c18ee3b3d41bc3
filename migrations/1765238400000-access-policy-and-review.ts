import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access policies beyond the three levels, and the steward review queue.
 * A restricted dataset may name realm roles whose holders read it, and any
 * dataset may hold its data under embargo until a time. Curated fields
 * remember which metadata a steward set, so a harvest does not overwrite
 * it, and reviewed_at takes a dataset out of the review queue.
 */
export class AccessPolicyAndReview1765238400000 implements MigrationInterface {
  name = 'AccessPolicyAndReview1765238400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "dataset" ADD "access_roles" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`ALTER TABLE "dataset" ADD "embargo_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "dataset" ADD "curated_fields" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`ALTER TABLE "dataset" ADD "reviewed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "dataset" ADD "reviewed_by" text`);
    // The review queue reads unreviewed active datasets oldest first; the partial index serves that order.
    await queryRunner.query(
      `CREATE INDEX "dataset_review_queue_idx" ON "dataset" ("first_harvested_at", "id") WHERE "reviewed_at" IS NULL AND "status" = 'active'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."dataset_review_queue_idx"`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP COLUMN "reviewed_by"`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP COLUMN "reviewed_at"`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP COLUMN "curated_fields"`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP COLUMN "embargo_until"`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP COLUMN "access_roles"`);
  }
}
