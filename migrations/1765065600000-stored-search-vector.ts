import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store each dataset's full-text vector instead of computing it per query.
 * Ranking search results computed to_tsvector for every matching row, which
 * dominated search time over 100,000 datasets. A trigger keeps the column in
 * step with search_text, so every writer (the application, bulk SQL) gets
 * it without code of its own.
 */
export class StoredSearchVector1765065600000 implements MigrationInterface {
  name = 'StoredSearchVector1765065600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "dataset" ADD "search_vector" tsvector`);
    await queryRunner.query(
      `UPDATE "dataset" SET "search_vector" = to_tsvector('simple', "search_text")`,
    );
    await queryRunner.query(
      `CREATE FUNCTION weft_dataset_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.search_vector := to_tsvector('simple', NEW.search_text);
         RETURN NEW;
       END
       $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER dataset_search_vector BEFORE INSERT OR UPDATE OF search_text ON "dataset"
       FOR EACH ROW EXECUTE FUNCTION weft_dataset_search_vector()`,
    );
    await queryRunner.query(`DROP INDEX "public"."dataset_search_idx"`);
    await queryRunner.query(
      `CREATE INDEX "dataset_search_idx" ON "dataset" USING GIN ("search_vector")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."dataset_search_idx"`);
    await queryRunner.query(
      `CREATE INDEX "dataset_search_idx" ON "dataset" USING GIN (to_tsvector('simple', "search_text"))`,
    );
    await queryRunner.query(`DROP TRIGGER dataset_search_vector ON "dataset"`);
    await queryRunner.query(`DROP FUNCTION weft_dataset_search_vector()`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP COLUMN "search_vector"`);
  }
}
