import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The query store of the data fabric: one row per GraphQL data query, a
 * PROV-O activity with its normalised input, execution time, the
 * statements pushed down to the sources and the checksum of the result.
 * Generated from FabricQueryEntity.
 */
export class FabricQuery1764979200000 implements MigrationInterface {
  name = 'FabricQuery1764979200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "fabric_query" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pid" text NOT NULL, "operation" text NOT NULL, "status" text NOT NULL, "requested_by" text, "requester_subject" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE NOT NULL, "input" jsonb NOT NULL, "datasets" text array NOT NULL, "sources" text array NOT NULL, "pushed_down" jsonb NOT NULL, "row_count" integer NOT NULL, "result_checksum" text, "error" text, "prov" jsonb NOT NULL, CONSTRAINT "UQ_10cdafb6ae2279c8a5c6944cccb" UNIQUE ("pid"), CONSTRAINT "PK_9f2e9a94fd5e2886a39e9cbea9f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "fabric_query_started_idx" ON "fabric_query" ("started_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."fabric_query_started_idx"`);
    await queryRunner.query(`DROP TABLE "fabric_query"`);
  }
}
