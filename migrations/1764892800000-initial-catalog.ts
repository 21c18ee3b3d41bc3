import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first catalog schema: identifier registry, source systems, DCAT
 * datasets, distributions and data services, observable properties, harvest
 * runs with their PROV-O records, dataset history and licences. Generated
 * from the entities, then extended with the search and facet indexes that
 * TypeORM cannot express (GIN on the full-text vector and the unit arrays).
 */
export class InitialCatalog1764892800000 implements MigrationInterface {
  name = 'InitialCatalog1764892800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "data_service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pid" text NOT NULL, "source_id" uuid, "service_key" text, "title" text NOT NULL, "endpoint_url" text NOT NULL, "conforms_to" text, "endpoint_description" text, CONSTRAINT "UQ_c418a5eb6bace6c4d6e1bde4d39" UNIQUE ("pid"), CONSTRAINT "UQ_dd56a71597fec06aba1b907d169" UNIQUE ("source_id"), CONSTRAINT "UQ_f97737dd32b1e96f6a6b4c1e11b" UNIQUE ("service_key"), CONSTRAINT "PK_06de94a45f86295f96e2d014f6a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "distribution" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pid" text NOT NULL, "dataset_id" uuid NOT NULL, "key" text NOT NULL, "title" text NOT NULL, "access_url" text NOT NULL, "media_type" text, "format" text, "access_query" text, "description" text, "data_service_id" uuid, "status" text NOT NULL DEFAULT 'active', CONSTRAINT "UQ_0bac04973ccb1478e28f7e345d1" UNIQUE ("pid"), CONSTRAINT "PK_187eaf203ccf9018df51b40108c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "distribution_dataset_key_idx" ON "distribution" ("dataset_id", "key")`,
    );
    await queryRunner.query(
      `CREATE TABLE "observable_property" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dataset_id" uuid NOT NULL, "name" text NOT NULL, "label" text, "description" text, "datatypes" text array NOT NULL DEFAULT '{}', "unit" text, "unit_source_text" text, "quantity_kind" text, "minimum" double precision, "maximum" double precision, "observed_count" bigint, "anomalies" jsonb, "enum_values" text array, CONSTRAINT "PK_74177f4a706f4d115a1eb056ef5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "observable_property_dataset_name_idx" ON "observable_property" ("dataset_id", "name")`,
    );
    await queryRunner.query(
      `CREATE TABLE "source_system" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_key" text NOT NULL, "pid" text NOT NULL, "kind" text NOT NULL, "title" text NOT NULL, "description" text, "place" text, "endpoint_url" text, "config" jsonb NOT NULL, "details" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'active', "last_harvest_at" TIMESTAMP WITH TIME ZONE, "last_harvest_status" text, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_5c630bc6a15d481f44e62ae1416" UNIQUE ("source_key"), CONSTRAINT "UQ_15a63a6405a51ce69e4b8c0ef80" UNIQUE ("pid"), CONSTRAINT "PK_f6f3aadd5729539015c418c6341" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "dataset" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pid" text NOT NULL, "source_id" uuid NOT NULL, "natural_key" text NOT NULL, "kind" text NOT NULL, "title" text NOT NULL, "description" text, "keywords" text array NOT NULL DEFAULT '{}', "place" text, "format" text, "device" jsonb, "temporal_start" TIMESTAMP WITH TIME ZONE, "temporal_end" TIMESTAMP WITH TIME ZONE, "details" jsonb NOT NULL, "units" text array NOT NULL DEFAULT '{}', "quantity_kinds" text array NOT NULL DEFAULT '{}', "licence_id" text, "rights_holder" text, "access_level" text NOT NULL DEFAULT 'site', "status" text NOT NULL DEFAULT 'active', "withdrawn_at" TIMESTAMP WITH TIME ZONE, "withdrawn_reason" text, "search_text" text NOT NULL DEFAULT '', "content_hash" text NOT NULL DEFAULT '', "first_harvested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_harvested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_5155b46b3306b0158665e3040c9" UNIQUE ("pid"), CONSTRAINT "PK_36c1c67adb3d1dd69ae57f18913" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "dataset_source_key_idx" ON "dataset" ("source_id", "natural_key")`,
    );
    await queryRunner.query(
      `CREATE TABLE "identifier" ("local_id" text NOT NULL, "entity_type" text NOT NULL, "entity_id" uuid NOT NULL, "minted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "withdrawn_at" TIMESTAMP WITH TIME ZONE, "tombstone" jsonb, CONSTRAINT "PK_2b6e0d328e3b61fc2ae2117694b" PRIMARY KEY ("local_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "identifier_entity_idx" ON "identifier" ("entity_type", "entity_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "licence" ("id" text NOT NULL, "name" text NOT NULL, "url" text, "text" text, "is_custom" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by" text, CONSTRAINT "PK_3b4f2cda4a38b8026e4c700844c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "dataset_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dataset_id" uuid NOT NULL, "change_type" text NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "changed_by" text NOT NULL, "reason" text, "changes" jsonb NOT NULL, "activity_pid" text, CONSTRAINT "PK_6af9b8331ce03786365489ae354" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "dataset_change_dataset_idx" ON "dataset_change" ("dataset_id", "changed_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "harvest_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pid" text NOT NULL, "source_id" uuid NOT NULL, "status" text NOT NULL, "trigger" text NOT NULL, "requested_by" text, "harvester" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "datasets_created" integer NOT NULL DEFAULT '0', "datasets_updated" integer NOT NULL DEFAULT '0', "datasets_unchanged" integer NOT NULL DEFAULT '0', "datasets_withdrawn" integer NOT NULL DEFAULT '0', "issues" jsonb NOT NULL, "error" text, "attempt" integer NOT NULL DEFAULT '0', "prov" jsonb NOT NULL, CONSTRAINT "UQ_bb06cff22df9060166fe335ebe1" UNIQUE ("pid"), CONSTRAINT "PK_1499c062f2a22351174c7908a2c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "harvest_run_source_started_idx" ON "harvest_run" ("source_id", "started_at")`,
    );
    await queryRunner.query(
      `ALTER TABLE "distribution" ADD CONSTRAINT "FK_6ecc99f75654d2787c669725640" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "observable_property" ADD CONSTRAINT "FK_3e2d43020f0a558b91946e5499c" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "dataset" ADD CONSTRAINT "FK_b43354fa834a12c05135efc37bf" FOREIGN KEY ("source_id") REFERENCES "source_system"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "dataset_search_idx" ON "dataset" USING GIN (to_tsvector('simple', "search_text"))`,
    );
    await queryRunner.query(`CREATE INDEX "dataset_units_idx" ON "dataset" USING GIN ("units")`);
    await queryRunner.query(
      `CREATE INDEX "dataset_quantity_kinds_idx" ON "dataset" USING GIN ("quantity_kinds")`,
    );
    await queryRunner.query(
      `CREATE INDEX "dataset_status_title_idx" ON "dataset" ("status", "title", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."dataset_status_title_idx"`);
    await queryRunner.query(`DROP INDEX "public"."dataset_quantity_kinds_idx"`);
    await queryRunner.query(`DROP INDEX "public"."dataset_units_idx"`);
    await queryRunner.query(`DROP INDEX "public"."dataset_search_idx"`);
    await queryRunner.query(
      `ALTER TABLE "dataset" DROP CONSTRAINT "FK_b43354fa834a12c05135efc37bf"`,
    );
    await queryRunner.query(
      `ALTER TABLE "observable_property" DROP CONSTRAINT "FK_3e2d43020f0a558b91946e5499c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "distribution" DROP CONSTRAINT "FK_6ecc99f75654d2787c669725640"`,
    );
    await queryRunner.query(`DROP INDEX "public"."harvest_run_source_started_idx"`);
    await queryRunner.query(`DROP TABLE "harvest_run"`);
    await queryRunner.query(`DROP INDEX "public"."dataset_change_dataset_idx"`);
    await queryRunner.query(`DROP TABLE "dataset_change"`);
    await queryRunner.query(`DROP TABLE "licence"`);
    await queryRunner.query(`DROP INDEX "public"."identifier_entity_idx"`);
    await queryRunner.query(`DROP TABLE "identifier"`);
    await queryRunner.query(`DROP INDEX "public"."dataset_source_key_idx"`);
    await queryRunner.query(`DROP TABLE "dataset"`);
    await queryRunner.query(`DROP TABLE "source_system"`);
    await queryRunner.query(`DROP INDEX "public"."observable_property_dataset_name_idx"`);
    await queryRunner.query(`DROP TABLE "observable_property"`);
    await queryRunner.query(`DROP INDEX "public"."distribution_dataset_key_idx"`);
    await queryRunner.query(`DROP TABLE "distribution"`);
    await queryRunner.query(`DROP TABLE "data_service"`);
  }
}
