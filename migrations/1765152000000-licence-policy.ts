import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Give each licence its ODRL policy (permissions, duties, prohibitions) as
 * JSON. SPDX licences get theirs when Weft starts; custom licences created
 * before this change keep null until a steward gives them one, and data
 * under such a licence cannot be combined into derived datasets.
 */
export class LicencePolicy1765152000000 implements MigrationInterface {
  name = 'LicencePolicy1765152000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "licence" ADD "policy" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "licence" DROP COLUMN "policy"`);
  }
}
