import { randomUUID } from 'node:crypto';

import type { HarvestedDataset, HarvestSnapshot } from '../../src/harvest/harvest.types';
import { InfluxV1Harvester } from '../../src/harvest/influx/influxdb-v1.harvester';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import { InfluxqlSchemaReader } from '../../src/harvest/influx/influxql-schema-reader';
import type { InfluxV1SourceConfig } from '../../src/sources/source-config.types';
import { writeDemoData } from '../../scripts/influx-demo-data';
import { loadTestEnv } from '../env/load-env';

// Harvests a throwaway database on the real InfluxDB 1.6 that
// scripts/test-env/up.sh starts. The admin user writes the demo data and a
// few extra measurements; the harvester reads as the non-admin user.

const env = loadTestEnv();
const database = `weft_influx_${randomUUID().slice(0, 8)}`;
const signal = new AbortController().signal;
const START = new Date('2026-01-05T00:00:00Z');

const admin = new InfluxqlClient({
  url: env.WEFT_TEST_INFLUX_URL,
  auth: {
    kind: 'basic',
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  },
});

const passwordVariable = `WEFT_TEST_INFLUX_V1_PASSWORD_${randomUUID().slice(0, 8)}`;

function sourceConfig(overrides: Partial<InfluxV1SourceConfig> = {}): InfluxV1SourceConfig {
  return {
    id: 'site-influx',
    kind: 'influxdb-v1',
    intervalSeconds: 0,
    enabled: true,
    url: env.WEFT_TEST_INFLUX_URL,
    username: env.WEFT_TEST_INFLUX_USERNAME,
    password: { env: passwordVariable },
    databases: [database],
    place: 'Lab 2',
    ...overrides,
  };
}

async function adminQuery(statement: string): Promise<void> {
  const { results } = await admin.query(statement, { method: 'POST', signal });
  for (const result of results) {
    if (result.error !== undefined) {
      throw new Error(`${statement}: ${result.error}`);
    }
  }
}

function datasetByKey(snapshot: HarvestSnapshot, key: string): HarvestedDataset {
  const dataset = snapshot.datasets.find((candidate) => candidate.key === key);
  if (dataset === undefined) {
    throw new Error(
      `no dataset ${key}; got ${snapshot.datasets.map((entry) => entry.key).join(', ')}`,
    );
  }
  return dataset;
}

let snapshot: HarvestSnapshot;

beforeAll(async () => {
  process.env[passwordVariable] = env.WEFT_TEST_INFLUX_PASSWORD;

  await writeDemoData(
    env.WEFT_TEST_INFLUX_URL,
    database,
    {
      kind: 'basic',
      username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
      password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
    },
    { days: 1, startTime: START },
  );

  await adminQuery(
    `CREATE RETENTION POLICY "ten_years" ON ${quoteIdentifier(database)} DURATION 520w REPLICATION 1`,
  );
  await admin.write(
    database,
    'bioreactor,reactor=BR-01,site=lab temperature_c=36.5,ph=7.1,stirrer_rpm=100i,dissolved_oxygen_pct=41.0 1735689600',
    {
      precision: 's',
      retentionPolicy: 'ten_years',
      signal,
    },
  );
  await admin.write(
    database,
    [
      'sensor,unit=°C,room=lab value=21.5 1767571200',
      'sensor,unit=°C,room=office value=22.5 1767574800',
      'kWh,entity_id=sensor.fridge_energy,domain=sensor value=12.25 1767571200',
      'kWh,entity_id=sensor.fridge_energy,domain=sensor value=12.5 1767657599',
    ].join('\n'),
    { precision: 's', signal },
  );
  await adminQuery(
    `GRANT READ ON ${quoteIdentifier(database)} TO ${quoteIdentifier(env.WEFT_TEST_INFLUX_USERNAME)}`,
  );

  snapshot = await new InfluxV1Harvester(sourceConfig()).harvest(signal);
});

afterAll(async () => {
  delete process.env[passwordVariable];
  await adminQuery(`DROP DATABASE ${quoteIdentifier(database)}`);
});

describe('InfluxV1Harvester on InfluxDB 1.6', () => {
  it('harvests every measurement without issues', () => {
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.sourceKind).toBe('influxdb-v1');
    expect(snapshot.harvester).toBe('weft-influxdb-v1-harvester/0.1.0');
    expect(snapshot.datasets.map((dataset) => dataset.key).sort()).toEqual(
      ['bioreactor', 'cpu', 'kWh', 'mem', 'mqtt_consumer', 'sensor', 'shelly_plug'].map(
        (measurement) => `${database}/${measurement}`,
      ),
    );
  });

  it('records the server version and retention policies', () => {
    expect(snapshot.sourceDetails.url).toBe(`${env.WEFT_TEST_INFLUX_URL}/`);
    expect(snapshot.sourceDetails.serverVersion).toMatch(/^1\.6\./);
    expect(snapshot.sourceDetails.databases).toEqual([database]);
    expect(snapshot.sourceDetails.retentionPolicies).toEqual({
      [database]: [
        {
          name: 'autogen',
          duration: '0s',
          durationSeconds: 0,
          shardGroupDuration: '168h0m0s',
          replicaN: 1,
          default: true,
        },
        {
          name: 'ten_years',
          duration: '87360h0m0s',
          durationSeconds: 314_496_000,
          shardGroupDuration: '168h0m0s',
          replicaN: 1,
          default: false,
        },
      ],
    });
  });

  it('reads bioreactor fields, units and tags', () => {
    const dataset = datasetByKey(snapshot, `${database}/bioreactor`);

    expect(dataset.kind).toBe('influx-measurement');
    expect(dataset.title).toBe('bioreactor');
    expect(dataset.place).toBe('Lab 2');
    expect(dataset.properties).toEqual([
      {
        name: 'dissolved_oxygen_pct',
        datatypes: ['xsd:double'],
        unit: '%',
        unitSourceText: 'pct',
        quantityKind: 'DimensionlessRatio',
      },
      {
        name: 'ph',
        datatypes: ['xsd:double'],
        unit: '[pH]',
        unitSourceText: 'ph',
        quantityKind: 'PH',
      },
      {
        name: 'stirrer_rpm',
        datatypes: ['xsd:integer'],
        unit: '/min',
        unitSourceText: 'rpm',
        quantityKind: 'RotationalVelocity',
      },
      {
        name: 'temperature_c',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: 'c',
        quantityKind: 'Temperature',
      },
    ]);
    expect(dataset.details.tagKeys).toEqual([
      { key: 'reactor', cardinality: 2 },
      { key: 'site', cardinality: 1 },
    ]);
    expect(dataset.details.fieldTypes).toEqual({
      dissolved_oxygen_pct: ['float'],
      ph: ['float'],
      stirrer_rpm: ['integer'],
      temperature_c: ['float'],
    });
    expect(dataset.details.seriesCount).toBe(2);
  });

  it('spans the first and last point over all retention policies', () => {
    const dataset = datasetByKey(snapshot, `${database}/bioreactor`);

    expect(dataset.temporal).toEqual({
      start: '2025-01-01T00:00:00Z',
      end: '2026-01-05T23:59:00Z',
    });
    expect(dataset.details.defaultRetentionPolicy).toBe('autogen');
    expect(dataset.details.defaultRetentionDuration).toBe('0s');
    expect(dataset.details.defaultRetentionSeconds).toBe(0);
    expect(
      (dataset.details.retentionPolicies as { name: string; hasData: boolean }[]).map((policy) => [
        policy.name,
        policy.hasData,
      ]),
    ).toEqual([
      ['autogen', true],
      ['ten_years', true],
    ]);
  });

  it('describes an InfluxQL distribution', () => {
    const dataset = datasetByKey(snapshot, `${database}/bioreactor`);

    expect(dataset.distributions).toEqual([
      {
        key: 'influxql',
        title: 'InfluxQL query API',
        accessUrl: `${env.WEFT_TEST_INFLUX_URL}/query?db=${database}`,
        mediaType: 'application/json',
        format: 'InfluxQL JSON',
        accessQuery: `SELECT * FROM "${database}"."autogen"."bioreactor" WHERE time > now() - 1h`,
        description:
          'Send the access query as the q parameter of GET /query; the server returns the points as JSON.',
      },
    ]);
  });

  it('reads Telegraf mqtt_consumer room climate', () => {
    const dataset = datasetByKey(snapshot, `${database}/mqtt_consumer`);

    expect(dataset.properties).toEqual([
      { name: 'battery', datatypes: ['xsd:double'], quantityKind: 'DimensionlessRatio' },
      { name: 'humidity', datatypes: ['xsd:double'], quantityKind: 'RelativeHumidity' },
      { name: 'linkquality', datatypes: ['xsd:double'] },
      { name: 'temperature', datatypes: ['xsd:double'], quantityKind: 'Temperature' },
    ]);
    expect(dataset.details.tagKeys).toEqual([
      { key: 'host', cardinality: 1 },
      { key: 'topic', cardinality: 3 },
    ]);
    expect(dataset.details.seriesCount).toBe(3);
    expect(dataset.temporal).toEqual({
      start: '2026-01-05T00:00:00Z',
      end: '2026-01-05T23:59:00Z',
    });
  });

  it('reads Shelly power and energy units', () => {
    const dataset = datasetByKey(snapshot, `${database}/shelly_plug`);

    expect(dataset.properties).toEqual([
      {
        name: 'current_a',
        datatypes: ['xsd:double'],
        unit: 'A',
        unitSourceText: 'a',
        quantityKind: 'ElectricCurrent',
      },
      {
        name: 'energy_kwh',
        datatypes: ['xsd:double'],
        unit: 'kW.h',
        unitSourceText: 'kwh',
        quantityKind: 'Energy',
      },
      { name: 'output', datatypes: ['xsd:boolean'] },
      {
        name: 'power_w',
        datatypes: ['xsd:double'],
        unit: 'W',
        unitSourceText: 'w',
        quantityKind: 'Power',
      },
      {
        name: 'voltage_v',
        datatypes: ['xsd:double'],
        unit: 'V',
        unitSourceText: 'v',
        quantityKind: 'Voltage',
      },
    ]);
    expect(dataset.temporal).toEqual({
      start: '2026-01-05T00:00:00Z',
      end: '2026-01-05T23:59:50Z',
    });
  });

  it('reads Telegraf host metrics', () => {
    const cpu = datasetByKey(snapshot, `${database}/cpu`);
    const memory = datasetByKey(snapshot, `${database}/mem`);

    expect(cpu.properties.map((property) => [property.name, property.datatypes])).toEqual([
      ['usage_idle', ['xsd:double']],
      ['usage_iowait', ['xsd:double']],
      ['usage_system', ['xsd:double']],
      ['usage_user', ['xsd:double']],
    ]);
    expect(cpu.details.tagKeys).toEqual([
      { key: 'cpu', cardinality: 1 },
      { key: 'host', cardinality: 1 },
    ]);
    expect(memory.properties).toEqual([
      { name: 'available', datatypes: ['xsd:integer'] },
      { name: 'total', datatypes: ['xsd:integer'] },
      { name: 'used', datatypes: ['xsd:integer'] },
      {
        name: 'used_percent',
        datatypes: ['xsd:double'],
        unit: '%',
        unitSourceText: 'percent',
        quantityKind: 'DimensionlessRatio',
      },
    ]);
  });

  it('takes a unit from a unit tag', () => {
    const dataset = datasetByKey(snapshot, `${database}/sensor`);

    expect(dataset.properties).toEqual([
      {
        name: 'value',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: '°C',
        quantityKind: 'Temperature',
      },
    ]);
    expect(dataset.details.unitTagValues).toEqual(['°C']);
    expect(dataset.details.unitOrigins).toEqual({ value: 'unit-tag' });
    expect(dataset.details.tagKeys).toEqual([
      { key: 'room', cardinality: 2 },
      { key: 'unit', cardinality: 1 },
    ]);
  });

  it('takes a unit from a Home Assistant measurement name', () => {
    const dataset = datasetByKey(snapshot, `${database}/kWh`);

    expect(dataset.properties).toEqual([
      {
        name: 'value',
        datatypes: ['xsd:double'],
        unit: 'kW.h',
        unitSourceText: 'kWh',
        quantityKind: 'Energy',
      },
    ]);
    expect(dataset.details.unitOrigins).toEqual({ value: 'measurement-name' });
    expect(dataset.temporal).toEqual({
      start: '2026-01-05T00:00:00Z',
      end: '2026-01-05T23:59:59Z',
    });
  });

  it('lists granted databases when none are configured', async () => {
    const discovered = await new InfluxV1Harvester(sourceConfig({ databases: [] })).harvest(signal);

    expect(discovered.sourceDetails.databases).toContain(database);
    expect(discovered.sourceDetails.databases).not.toContain('_internal');
    expect(
      discovered.datasets.filter((dataset) => dataset.key.startsWith(`${database}/`)),
    ).toHaveLength(7);
  });
});

describe('InfluxqlSchemaReader on InfluxDB 1.6', () => {
  it('counts tag values without cardinality statements', async () => {
    const reader = new InfluxqlSchemaReader(admin, {
      maxMeasurements: 100,
      maxTagValuesCounted: 2,
      useCardinalityStatements: false,
    });

    const inspection = await reader.inspectMeasurement(
      database,
      'mqtt_consumer',
      ['autogen'],
      signal,
    );

    expect(inspection.warnings).toEqual([]);
    expect(inspection.schema.tagKeys).toEqual([
      { key: 'host', cardinality: 1 },
      { key: 'topic', cardinality: 2, cardinalityIsLowerBound: true },
    ]);
    expect(inspection.schema.seriesCount).toBeUndefined();
  });

  it('stops listing measurements at the limit', async () => {
    const reader = new InfluxqlSchemaReader(admin, {
      maxMeasurements: 3,
      maxTagValuesCounted: 100,
      useCardinalityStatements: true,
    });

    const listing = await reader.listMeasurements(database, signal);

    expect(listing).toEqual({ names: ['bioreactor', 'cpu', 'kWh'], truncated: true });
  });
});

describe('InfluxqlClient on InfluxDB 1.6', () => {
  it('binds parameters instead of splicing values', async () => {
    const { results } = await admin.query(
      `SELECT "temperature_c" FROM "bioreactor" WHERE "reactor" = $reactor AND time = $time`,
      { database, params: { reactor: 'BR-02', time: '2026-01-05T00:01:00Z' }, signal },
    );

    expect(results).toEqual([
      {
        statementId: 0,
        series: [
          {
            name: 'bioreactor',
            columns: ['time', 'temperature_c'],
            values: [['2026-01-05T00:01:00Z', expect.any(Number)]],
          },
        ],
      },
    ]);
  });

  it('runs statements one by one after a failure', async () => {
    const results = await admin.queryEach(
      [
        'SHOW TAG KEYS FROM "sensor"',
        'SELECT * FROM "no_such_db"."autogen"."x"',
        'SHOW FIELD KEYS FROM "sensor"',
      ],
      { database, signal },
    );

    expect(results).toEqual([
      {
        statementId: 0,
        series: [{ name: 'sensor', columns: ['tagKey'], values: [['room'], ['unit']] }],
      },
      { statementId: 1, series: [], error: 'database not found: no_such_db' },
      {
        statementId: 2,
        series: [
          { name: 'sensor', columns: ['fieldKey', 'fieldType'], values: [['value', 'float']] },
        ],
      },
    ]);
  });
});
