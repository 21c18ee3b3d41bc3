import type { HarvestedDataset, HarvestSnapshot } from '../../src/harvest/harvest.types';
import { PostgresHarvester } from '../../src/harvest/postgres/postgres.harvester';
import type { PostgresSourceConfig } from '../../src/sources/source-config.types';
import { loadTestEnv } from '../env/load-env';
import { createLabFixture } from '../fixtures/fabric/lab-fixture';
import type { LabFixture } from '../fixtures/fabric/lab-fixture';
import { freeLoopbackPort } from '../support/ports';

// Harvests a fresh schema of database weft_fabric on the real PostgreSQL
// server that scripts/test-env/up.sh starts, as the read-only role
// weft_reader. The schema holds tables, a view, an enum, keys, comments and
// a table the role may not read.

const env = loadTestEnv();
const signal = new AbortController().signal;
const passwordVariable = 'WEFT_TEST_FABRIC_READER_SECRET';

describe('PostgresHarvester', () => {
  let fixture: LabFixture;
  let snapshot: HarvestSnapshot;
  const byTable = (table: string): HarvestedDataset => {
    const dataset = snapshot.datasets.find(
      (candidate) => candidate.key === `weft_fabric/${fixture.schema}.${table}`,
    );
    if (dataset === undefined) {
      throw new Error(
        `no dataset for ${table} among ${snapshot.datasets.map((entry) => entry.key).join(', ')}`,
      );
    }
    return dataset;
  };
  const config = (overrides: Partial<PostgresSourceConfig> = {}): PostgresSourceConfig => ({
    id: 'lab-db',
    kind: 'postgresql',
    url: fixture.readerUrl,
    password: { env: passwordVariable },
    schemas: [fixture.schema],
    maxTables: 100,
    intervalSeconds: 0,
    enabled: true,
    ...overrides,
  });

  beforeAll(async () => {
    fixture = await createLabFixture(env);
    process.env[passwordVariable] = fixture.readerPassword;
    snapshot = await new PostgresHarvester(config()).harvest(signal);
  });

  afterAll(async () => {
    delete process.env[passwordVariable];
    await fixture?.drop();
  });

  it('catalogues each readable table and view', () => {
    const keys = snapshot.datasets.map((dataset) => dataset.key).sort();

    expect(keys).toEqual([
      `weft_fabric/${fixture.schema}.asset`,
      `weft_fabric/${fixture.schema}.batch`,
      `weft_fabric/${fixture.schema}.batch_overview`,
      `weft_fabric/${fixture.schema}.sample`,
      `weft_fabric/${fixture.schema}.slow_batch`,
    ]);
    expect(snapshot.sourceKind).toBe('postgresql');
    expect(snapshot.harvester).toBe('weft-postgres-harvester/0.1.0');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.sourceDetails.role).toBe('weft_reader');
    expect(snapshot.sourceDetails.database).toBe('weft_fabric');
  });

  it('reports the table it may not read', () => {
    expect(snapshot.issues).toEqual([
      {
        severity: 'warning',
        subject: `weft_fabric/${fixture.schema}.secret_notes`,
        message: `the role may not read ${fixture.schema}.secret_notes: GRANT SELECT on it to catalogue it`,
      },
    ]);
  });

  it('maps column types to XSD with nullability', () => {
    const columns = byTable('batch').details.columns as Array<Record<string, unknown>>;

    expect(
      columns.map((column) => [column.name, column.sqlType, column.xsdType, column.nullable]),
    ).toEqual([
      ['batch_id', 'integer', 'xsd:int', false],
      ['reactor', 'text', 'xsd:string', false],
      ['strain', 'text', 'xsd:string', false],
      ['started_at', 'timestamp with time zone', 'xsd:dateTimeStamp', false],
      ['ended_at', 'timestamp with time zone', 'xsd:dateTimeStamp', true],
      ['target_temperature', 'numeric(4,1)', 'xsd:decimal', true],
      ['yield_g', 'double precision', 'xsd:double', true],
      // format_type qualifies a type outside the search path with its schema.
      ['status', `${fixture.schema}.batch_status`, 'xsd:string', false],
      ['notes', 'jsonb', 'rdf:JSON', true],
    ]);
  });

  it('keys, comments, units and enum values', () => {
    const batch = byTable('batch');
    const sample = byTable('sample');
    const setpoint = batch.properties.find((property) => property.name === 'target_temperature');
    const status = batch.properties.find((property) => property.name === 'status');

    expect(batch.description).toBe('Fermentation batches run in the bioreactors');
    expect(batch.details.primaryKey).toEqual(['batch_id']);
    expect(sample.details.foreignKeys).toEqual([
      {
        name: 'sample_batch_id_fkey',
        columns: ['batch_id'],
        referencedSchema: fixture.schema,
        referencedTable: 'batch',
        referencedColumns: ['batch_id'],
        referencedDatasetKey: `weft_fabric/${fixture.schema}.batch`,
      },
    ]);
    expect(setpoint).toEqual({
      name: 'target_temperature',
      description: 'Temperature setpoint [°C]',
      datatypes: ['xsd:double'],
      unit: 'Cel',
      unitSourceText: '°C',
      quantityKind: 'Temperature',
    });
    expect(status?.enumValues).toEqual(['planned', 'running', 'done', 'failed']);
    expect(
      byTable('asset').properties.find((property) => property.name === 'rated_power_w')?.unit,
    ).toBe('W');
  });

  it('row estimates and time column ranges', () => {
    const batch = byTable('batch');

    expect(batch.details.estimatedRowCount).toBe(5);
    expect(byTable('asset').details.estimatedRowCount).toBe(4);
    expect(byTable('batch_overview').details.estimatedRowCount).toBeUndefined();
    expect(batch.details.timeColumns).toEqual([
      {
        name: 'started_at',
        sqlType: 'timestamp with time zone',
        min: '2024-03-01T00:30:00Z',
        max: '2024-03-02T00:00:00Z',
      },
      {
        name: 'ended_at',
        sqlType: 'timestamp with time zone',
        min: '2024-03-01T02:00:00Z',
        max: '2024-03-02T04:00:00Z',
      },
    ]);
    expect(batch.temporal).toEqual({
      start: '2024-03-01T00:30:00.000Z',
      end: '2024-03-02T04:00:00.000Z',
    });
    expect(byTable('asset').details.timeColumns).toEqual([
      { name: 'installed_on', sqlType: 'date', min: '2023-05-02', max: '2023-06-15' },
    ]);
  });

  it('offers an SQL distribution without credentials', () => {
    const [distribution] = byTable('batch').distributions;

    expect(distribution?.key).toBe('sql');
    expect(distribution?.accessUrl).toBe(fixture.readerUrl.replace(/\/\/weft_reader@/, '//'));
    expect(distribution?.accessUrl).not.toContain(fixture.readerPassword);
    expect(distribution?.accessQuery).toBe(`SELECT * FROM "${fixture.schema}"."batch" LIMIT 100`);
    expect(byTable('batch_overview').details.relationKind).toBe('view');
  });

  it('missing schema is an error issue', async () => {
    const result = await new PostgresHarvester(
      config({ schemas: [fixture.schema, 'no_such_schema'] }),
    ).harvest(signal);

    expect(result.complete).toBe(false);
    expect(result.datasets).toHaveLength(5);
    expect(result.issues).toContainEqual({
      severity: 'error',
      subject: 'schema no_such_schema',
      message:
        'schema no_such_schema does not exist in database weft_fabric: fix the schemas of source lab-db',
    });
  });

  it('wrong password fails the run with the fix', async () => {
    process.env.WEFT_TEST_FABRIC_WRONG_SECRET = 'not-the-password';
    const result = await new PostgresHarvester(
      config({ password: { env: 'WEFT_TEST_FABRIC_WRONG_SECRET' } }),
    ).harvest(signal);
    delete process.env.WEFT_TEST_FABRIC_WRONG_SECRET;

    expect(result.datasets).toEqual([]);
    expect(result.complete).toBe(false);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.message).toMatch(
      /rejected the login .*check the user name and password of source lab-db$/,
    );
    expect(result.issues[0]?.message).not.toContain('not-the-password');
  });

  it('server that is down fails the run', async () => {
    const url = new URL(fixture.readerUrl);
    url.port = String(await freeLoopbackPort());
    const result = await new PostgresHarvester(config({ url: url.toString() })).harvest(signal);

    expect(result.complete).toBe(false);
    expect(result.issues[0]?.message).toMatch(
      /^cannot connect to PostgreSQL at postgres:\/\/127\.0\.0\.1:\d+\/weft_fabric \(ECONNREFUSED\); check that the server runs and the url is right$/,
    );
  });
});
