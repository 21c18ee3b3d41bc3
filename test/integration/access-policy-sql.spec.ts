import type { DataSource } from 'typeorm';

import { mayReadDataset } from '../../src/auth/dataset-access';
import { ANONYMOUS } from '../../src/auth/viewer';
import type { Viewer } from '../../src/auth/viewer';
import { applyReadableFilter } from '../../src/catalog/dataset-search';
import { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import type { AccessLevel } from '../../src/catalog/entities/dataset.entity';
import { createDataSource } from '../../src/database/data-source.factory';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

// The SQL filter that search, facets, DCAT pages, OAI-PMH and the sitemap
// use must select exactly the datasets mayReadDataset allows. This test
// writes one dataset per policy and compares both answers for every viewer.

const LEVELS: AccessLevel[] = ['public', 'site', 'restricted'];
const ROLE_LISTS: string[][] = [
  [],
  ['project-alpha'],
  ['project-alpha', 'project-beta'],
  ['other'],
];
const EMBARGOES: Array<string | null> = [null, '2020-01-01T00:00:00Z', '2999-01-01T00:00:00Z'];

function viewer(roles: Viewer['roles'], realmRoles: string[]): Viewer {
  return { subject: 'sub', username: 'user', roles, realmRoles };
}

const VIEWERS: Array<[string, Viewer]> = [
  ['anonymous', ANONYMOUS],
  ['no role', viewer([], ['default-roles-weft', 'offline_access'])],
  ['researcher', viewer(['researcher'], ['researcher', 'default-roles-weft'])],
  ['project-alpha', viewer([], ['project-alpha', 'default-roles-weft'])],
  ['project-beta', viewer([], ['project-beta'])],
  ['researcher and project-alpha', viewer(['researcher'], ['researcher', 'project-alpha'])],
  ['steward', viewer(['steward'], ['steward'])],
  ['admin', viewer(['admin'], ['admin'])],
];

let database: TestDatabase;
let dataSource: DataSource;
let datasets: DatasetEntity[];

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createDataSource({
    databaseUrl: database.url,
    databaseCaFile: null,
    databasePasswordFile: null,
    dataDir: null,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });

  const [source] = await dataSource.query<Array<{ id: string }>>(
    `INSERT INTO source_system (source_key, pid, kind, title, config, details)
     VALUES ('policies', 'http://weft.test/id/policies', 'mqtt', 'Policies', '{}', '{}') RETURNING id`,
  );
  let n = 0;
  for (const level of LEVELS) {
    for (const roles of ROLE_LISTS) {
      for (const embargo of EMBARGOES) {
        n += 1;
        await dataSource.query(
          `INSERT INTO dataset (pid, source_id, natural_key, kind, title, details, access_level,
             access_roles, embargo_until, first_harvested_at, last_harvested_at, modified_at)
           VALUES ($1, $2, $3, 'mqtt-topic', $3, '{}', $4, $5, $6, now(), now(), now())`,
          [`http://weft.test/id/p${n}`, source.id, `policy/${n}`, level, roles, embargo],
        );
      }
    }
  }
  datasets = await dataSource.getRepository(DatasetEntity).find();
});

afterAll(async () => {
  await dataSource.destroy();
  await database.drop();
});

it('writes every policy combination', () => {
  expect(datasets).toHaveLength(LEVELS.length * ROLE_LISTS.length * EMBARGOES.length);
});

it.each(VIEWERS)('SQL filter matches mayReadDataset for %s', async (_name, reader) => {
  const query = dataSource.getRepository(DatasetEntity).createQueryBuilder('dataset');
  applyReadableFilter(query, reader);
  const selected = (await query.getMany()).map((dataset) => dataset.pid).sort();

  const allowed = datasets
    .filter((dataset) => mayReadDataset(reader, dataset))
    .map((dataset) => dataset.pid)
    .sort();
  expect(selected).toEqual(allowed);
});

it('selects the expected counts per viewer', async () => {
  const counts: Record<string, number> = {};
  for (const [name, reader] of VIEWERS) {
    const query = dataSource.getRepository(DatasetEntity).createQueryBuilder('dataset');
    applyReadableFilter(query, reader);
    counts[name] = await query.getCount();
  }
  // 12 datasets per level. project-alpha is named by 2 of the 4 role lists, project-beta by 1.
  expect(counts).toEqual({
    anonymous: 12,
    'no role': 12,
    researcher: 24,
    'project-alpha': 12 + 6,
    'project-beta': 12 + 3,
    'researcher and project-alpha': 24 + 6,
    steward: 36,
    admin: 36,
  });
});
