import type { DataSource } from 'typeorm';
import { In } from 'typeorm';

import { DataServiceEntity } from '../../src/catalog/entities/data-service.entity';
import { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import { DistributionEntity } from '../../src/catalog/entities/distribution.entity';
import { ObservablePropertyEntity } from '../../src/catalog/entities/observable-property.entity';
import { SourceSystemEntity } from '../../src/catalog/entities/source-system.entity';
import { createDataSource } from '../../src/database/data-source.factory';
import { LicenceEntity } from '../../src/licences/licence.entity';
import { DatasetRecordsLoader } from '../../src/linked-data/dataset-records.loader';
import { DatasetChangeEntity } from '../../src/provenance/dataset-change.entity';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

// The loader reads a dataset's source, properties, distributions, licence,
// first harvest run and data services in one statement, through jsonb. These
// tests compare what it returns with the same rows read through TypeORM
// repositories, on PostgreSQL and on PGlite, including the values that JSON
// changes: timestamps with microseconds, bigint, doubles that are not finite.

interface Seeded {
  withLicence: DatasetEntity;
  bare: DatasetEntity;
  sourceId: string;
}

async function seed(dataSource: DataSource): Promise<Seeded> {
  const source = await dataSource.getRepository(SourceSystemEntity).save({
    sourceKey: 'lab-mqtt',
    pid: 'https://w3id.org/site/s1',
    kind: 'mqtt',
    title: 'Lab broker',
    description: null,
    place: 'Hall 2',
    endpointUrl: 'mqtt://broker.lab:1883',
    config: { topics: ['lab/#'] },
    details: { protocolVersion: 5 },
    lastHarvestAt: new Date('2026-01-05T00:00:00.123Z'),
  });
  // A timestamp with microseconds: TypeORM and the jsonb path must both cut it to milliseconds.
  await dataSource.query(
    `UPDATE source_system SET last_harvest_at = '2026-01-05T00:00:00.123456Z' WHERE id = $1`,
    [source.id],
  );
  await dataSource.getRepository(DataServiceEntity).save({
    pid: 'https://w3id.org/site/ds1',
    sourceId: source.id,
    serviceKey: null,
    title: 'Lab broker endpoint',
    endpointUrl: 'mqtt://broker.lab:1883',
    conformsTo: 'https://mqtt.org/',
    endpointDescription: null,
  });
  const named = await dataSource.getRepository(DataServiceEntity).save({
    pid: 'https://w3id.org/site/ds2',
    sourceId: null,
    serviceKey: 'export',
    title: 'Export service',
    endpointUrl: 'https://weft.test/export',
    conformsTo: null,
    endpointDescription: 'https://weft.test/export/openapi.json',
  });
  await dataSource.getRepository(LicenceEntity).save({
    id: 'CC-BY-4.0',
    name: 'Creative Commons Attribution 4.0',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    text: null,
    isCustom: false,
    createdBy: null,
  });

  const datasets = dataSource.getRepository(DatasetEntity);
  const common = {
    sourceId: source.id,
    kind: 'mqtt-topic' as const,
    details: { retained: true },
    firstHarvestedAt: new Date('2026-01-05T00:00:00Z'),
    lastHarvestedAt: new Date('2026-01-06T00:00:00Z'),
    modifiedAt: new Date('2026-01-06T00:00:00Z'),
  };
  const withLicence = await datasets.save({
    ...common,
    pid: 'https://w3id.org/site/d1',
    naturalKey: 'lab/reactor/1',
    title: 'Reactor 1',
    licenceId: 'CC-BY-4.0',
  });
  const bare = await datasets.save({
    ...common,
    pid: 'https://w3id.org/site/d2',
    naturalKey: 'lab/reactor/2',
    title: 'Reactor 2',
    licenceId: null,
  });

  const properties = dataSource.getRepository(ObservablePropertyEntity);
  await properties.save({
    datasetId: withLicence.id,
    name: 'temperature',
    label: 'Temperature',
    datatypes: ['xsd:double'],
    unit: 'Cel',
    unitSourceText: '°C',
    quantityKind: 'Temperature',
    minimum: -12.5,
    maximum: 0.1 + 0.2,
    observedCount: 9_007_199_254_740,
    anomalies: { nan: 3 },
    enumValues: null,
  });
  await properties.save({
    datasetId: withLicence.id,
    name: 'humidity',
    label: null,
    datatypes: ['xsd:double', 'xsd:string'],
    unit: null,
    unitSourceText: null,
    quantityKind: null,
    minimum: Number.NEGATIVE_INFINITY,
    maximum: Number.NaN,
    observedCount: null,
    anomalies: null,
    enumValues: ['dry', 'wet'],
  });

  const distributions = dataSource.getRepository(DistributionEntity);
  for (const [key, status, serviceId] of [
    ['mqtt', 'active', null],
    ['export', 'active', named.id],
    ['old', 'withdrawn', null],
  ] as const) {
    await distributions.save({
      pid: `https://w3id.org/site/x-${key}`,
      datasetId: withLicence.id,
      key,
      title: `Distribution ${key}`,
      accessUrl: `https://weft.test/${key}`,
      mediaType: 'application/json',
      format: null,
      accessQuery: null,
      description: null,
      dataServiceId: serviceId,
      status,
    });
  }

  const changes = dataSource.getRepository(DatasetChangeEntity);
  for (const [changeType, changedAt, activityPid] of [
    ['created', '2026-01-05T00:00:01Z', 'https://w3id.org/site/run-first'],
    ['created', '2026-01-05T00:00:02Z', 'https://w3id.org/site/run-second'],
    ['updated', '2026-01-05T00:00:00Z', 'https://w3id.org/site/run-update'],
  ] as const) {
    await changes.save({
      datasetId: withLicence.id,
      changeType,
      changedAt: new Date(changedAt),
      changedBy: 'harvester',
      reason: null,
      changes: {},
      activityPid,
    });
  }

  return { withLicence, bare, sourceId: source.id };
}

function describeLoader(name: string, open: () => Promise<DataSource>, close: () => Promise<void>) {
  describe(`dataset records loader on ${name}`, () => {
    let dataSource: DataSource;
    let seeded: Seeded;
    let loader: DatasetRecordsLoader;

    beforeAll(async () => {
      dataSource = await open();
      await dataSource.runMigrations();
      seeded = await seed(dataSource);
      loader = new DatasetRecordsLoader(dataSource);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await close();
    });

    it('record matches repository reads', async () => {
      const dataset = seeded.withLicence;
      const [record] = await loader.load([dataset]);
      const source = await dataSource
        .getRepository(SourceSystemEntity)
        .findOneByOrFail({ id: seeded.sourceId });
      const properties = await dataSource
        .getRepository(ObservablePropertyEntity)
        .find({ where: { datasetId: dataset.id }, order: { name: 'ASC' } });
      const distributions = await dataSource
        .getRepository(DistributionEntity)
        .find({ where: { datasetId: dataset.id, status: 'active' }, order: { key: 'ASC' } });
      const licence = await dataSource
        .getRepository(LicenceEntity)
        .findOneByOrFail({ id: 'CC-BY-4.0' });
      const services = await dataSource
        .getRepository(DataServiceEntity)
        .find({ where: { pid: In(['https://w3id.org/site/ds1', 'https://w3id.org/site/ds2']) } });
      const byPid = new Map(services.map((service) => [service.pid, service]));

      expect(record.dataset).toBe(dataset);
      expect(record.source).toEqual(source);
      expect(record.source!.lastHarvestAt!.toISOString()).toBe('2026-01-05T00:00:00.123Z');
      expect(record.properties).toEqual(properties);
      expect(record.properties.map((property) => property.name)).toEqual([
        'humidity',
        'temperature',
      ]);
      expect(record.properties[0].minimum).toBe(Number.NEGATIVE_INFINITY);
      expect(record.properties[0].maximum).toBeNaN();
      expect(record.properties[1].maximum).toBe(0.1 + 0.2);
      expect(record.properties[1].observedCount).toBe(9_007_199_254_740);
      expect(record.distributions).toEqual(distributions);
      expect(record.distributions.map((distribution) => distribution.key)).toEqual([
        'export',
        'mqtt',
      ]);
      expect(record.licence).toEqual(licence);
      expect(record.generatedBy).toBe('https://w3id.org/site/run-first');
      expect(record.accessServices.get(distributions[0].id)).toEqual(
        byPid.get('https://w3id.org/site/ds2'),
      );
      expect(record.accessServices.get(distributions[1].id)).toEqual(
        byPid.get('https://w3id.org/site/ds1'),
      );
    });

    it('dataset without related rows', async () => {
      const [record] = await loader.load([seeded.bare]);

      expect(record.dataset).toBe(seeded.bare);
      expect(record.properties).toEqual([]);
      expect(record.distributions).toEqual([]);
      expect(record.licence).toBeNull();
      expect(record.generatedBy).toBeNull();
      expect(record.accessServices.size).toBe(0);
      expect(record.source!.id).toBe(seeded.sourceId);
    });

    it('page keeps the order of its datasets', async () => {
      const records = await loader.load([seeded.bare, seeded.withLicence]);

      expect(records.map((record) => record.dataset.pid)).toEqual([
        'https://w3id.org/site/d2',
        'https://w3id.org/site/d1',
      ]);
      expect(records[1].properties).toHaveLength(2);
      expect(await loader.load([])).toEqual([]);
    });
  });
}

let database: TestDatabase | undefined;

describeLoader(
  'PostgreSQL',
  async () => {
    database = await createTestDatabase();
    return createDataSource({
      databaseUrl: database.url,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    }).initialize();
  },
  async () => {
    await database?.drop();
  },
);

describeLoader(
  'PGlite',
  async () =>
    createDataSource({
      databaseUrl: null,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    }).initialize(),
  async () => {},
);
