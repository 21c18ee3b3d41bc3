import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parquetReadObjects } from 'hyparquet';
import request from 'supertest';
import { DataSource } from 'typeorm';

import type { Viewer } from '../../src/auth/viewer';
import { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import { DatasetExportService } from '../../src/exports/dataset-export.service';
import type { ExportProgress } from '../../src/exports/dataset-export.service';
import { runExportCommand } from '../../src/exports/export.command';
import { ExportJobsService } from '../../src/exports/export-jobs.service';
import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness, Role } from '../fixtures/fabric/fabric-app';
import { FIXTURE_START } from '../fixtures/fabric/lab-fixture';
import type { ReactorPoint } from '../fixtures/fabric/lab-fixture';
import {
  ensureRoCrateValidator,
  extractZip,
  SUBSET_CONTEXT_FILE,
  validateRoCrate,
} from '../support/ro-crate-validator';

// RO-Crate exports of the lab fixture (test/fixtures/fabric) from the real
// InfluxDB and PostgreSQL test servers, through GraphQL, the download
// endpoint and the `weft export` command. Each crate is unpacked and
// compared with the points and rows the fixture wrote, and validated with
// rocrate-validator's RO-Crate 1.2 profile (test/support/ro-crate-validator.ts
// explains how it runs without network access).

const START = `mutation($input: StartDatasetExportInput!) {
  startDatasetExport(input: $input) { id dataset from to state }
}`;
const PROGRESS = `query($id: ID!) {
  datasetExport(id: $id) {
    id state rowsWritten estimatedTotal percent error downloadUrl sha256 size expiresAt
  }
}`;

// Fabric settings are read from the environment when the app starts; small pages make a few
// hundred points take several pages.
const FABRIC_ENV = { WEFT_FABRIC_MAX_ROWS: '100', WEFT_FABRIC_PAGE_ROWS: '100' };

/** RO-Crate 1.2 RECOMMENDED checks an export does not meet, and why (docs/exports.md lists them). */
const ACCEPTED_RECOMMENDATIONS = [
  // The dataset's identifier is its persistent identifier as a URL string, as cite-as gives it.
  'ro-crate-1.2_54.0',
  // Weft identifies accounts by username, not by ORCID.
  'ro-crate-1.2_91.0',
  // The publisher is the site's organisation from WEFT_PUBLISHER_URI, rarely a ROR identifier.
  'ro-crate-1.2_89.0',
  // Weft writes no contactPoint for the publisher into crates yet.
  'ro-crate-1.2_90.1',
  'ro-crate-1.2_93.0',
];

interface JobView {
  id: string;
  state: string;
  rowsWritten: number;
  estimatedTotal: number | null;
  percent: number | null;
  error: string | null;
  downloadUrl: string | null;
  sha256: string | null;
  size: number | null;
  expiresAt: string | null;
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions: { code: string } }>;
}

type Entity = Record<string, unknown> & { '@id': string; '@type': string };

const minute = (n: number): string => new Date((FIXTURE_START + n * 60) * 1000).toISOString();
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** The CSV record the export writes for a fixture point, with InfluxDB's time format. */
function reactorRecord(point: ReactorPoint): string {
  const time = new Date(point.time * 1000).toISOString().replace('.000Z', 'Z');
  return [
    time,
    point.ph,
    point.phase,
    point.stirrer_rpm,
    point.temperature_c,
    point.reactor,
    'lab',
  ].join(',');
}

describe('dataset export', () => {
  let harness: FabricHarness;
  let work: string;
  let exportDir: string;
  let bioreactorPid: string;
  let batchPid: string;
  let measurementJob: JobView;

  const windowPoints = (fromMinute: number, toMinute: number): ReactorPoint[] =>
    harness.fixture.reactorPoints.filter(
      (point) =>
        point.time >= FIXTURE_START + fromMinute * 60 && point.time < FIXTURE_START + toMinute * 60,
    );

  const startExport = async (
    input: Record<string, unknown>,
    role?: Role,
  ): Promise<GraphqlBody<{ startDatasetExport: JobView }>> =>
    (await harness.gql(START, { input }, role)).body as GraphqlBody<{
      startDatasetExport: JobView;
    }>;

  const jobAs = async (id: string, role?: Role): Promise<JobView | null> => {
    const body = (await harness.gql(PROGRESS, { id }, role)).body as GraphqlBody<{
      datasetExport: JobView | null;
    }>;
    return body.data?.datasetExport ?? null;
  };

  const waitForJob = async (id: string, role: Role): Promise<JobView> => {
    for (let attempt = 0; attempt < 600; attempt++) {
      const job = await jobAs(id, role);
      if (job === null) {
        throw new Error(`export ${id} is not visible to ${role}`);
      }
      if (job.state !== 'RUNNING') {
        return job;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`export ${id} did not finish within 60 s`);
  };

  const download = (id: string, role: Role | null): Promise<request.Response> => {
    const call = request(harness.app.app.getHttpServer())
      .get(`/exports/${id}/download`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    return role === null ? call : call.set('Authorization', `Bearer ${harness.tokens[role]}`);
  };

  /** Write a ZIP to the work folder, unpack it, and return both paths and the parsed metadata. */
  const unpack = async (
    name: string,
    zip: Buffer,
  ): Promise<{ zipFile: string; folder: string; graph: Entity[] }> => {
    const zipFile = path.join(work, `${name}.zip`);
    const folder = path.join(work, name);
    writeFileSync(zipFile, zip);
    await extractZip(zipFile, folder);
    const metadata = JSON.parse(
      readFileSync(path.join(folder, 'ro-crate-metadata.json'), 'utf8'),
    ) as { '@context': string; '@graph': Entity[] };
    expect(metadata['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
    return { zipFile, folder, graph: metadata['@graph'] };
  };

  const entity = (graph: Entity[], id: string): Entity => {
    const found = graph.find((candidate) => candidate['@id'] === id);
    if (found === undefined) {
      throw new Error(`the crate has no entity ${id}`);
    }
    return found;
  };

  const readParquet = async (file: string): Promise<Array<Record<string, unknown>>> => {
    const bytes = readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return parquetReadObjects({ file: buffer });
  };

  beforeAll(async () => {
    await ensureRoCrateValidator();
    work = mkdtempSync(path.join(tmpdir(), 'weft-export-test-'));
    exportDir = path.join(work, 'exports');
    Object.assign(process.env, FABRIC_ENV);
    harness = await startFabricHarness({
      WEFT_EXPORT_DIR: exportDir,
      WEFT_EXPORT_RETENTION_MINUTES: '5',
      WEFT_EXPORT_MAX_WINDOW_DAYS: '30',
    });
    bioreactorPid = (await harness.dataset('bioreactor')).pid;
    batchPid = (await harness.dataset('batch')).pid;
    const bioreactor = await harness.dataset('bioreactor');
    await harness.app.app
      .get(DataSource)
      .getRepository(DatasetEntity)
      .update({ id: bioreactor.id }, { licenceId: 'CC-BY-4.0' });

    const started = await startExport(
      { dataset: bioreactorPid, from: minute(60), to: minute(180) },
      'researcher',
    );
    if (started.data?.startDatasetExport === undefined) {
      throw new Error(`the export did not start: ${JSON.stringify(started.errors)}`);
    }
    measurementJob = await waitForJob(started.data.startDatasetExport.id, 'researcher');
  });

  afterAll(async () => {
    await harness?.close();
    for (const name of Object.keys(FABRIC_ENV)) {
      delete process.env[name];
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('measurement export holds the window', async () => {
    const expected = windowPoints(60, 180);
    expect(expected.length).toBe(230);
    expect(measurementJob.error).toBeNull();
    expect(measurementJob.state).toBe('SUCCEEDED');
    expect(measurementJob.rowsWritten).toBe(230);
    expect(measurementJob.estimatedTotal).toBe(230);
    expect(measurementJob.percent).toBe(100);
    expect(measurementJob.downloadUrl).toBe(
      `http://weft.test/exports/${measurementJob.id}/download`,
    );

    const response = await download(measurementJob.id, 'researcher');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const zip = response.body as Buffer;
    expect(sha256(zip)).toBe(measurementJob.sha256);
    expect(zip.length).toBe(measurementJob.size);

    const { folder } = await unpack('measurement', zip);
    expect(readdirSync(folder).sort()).toEqual([
      'data',
      'manifest-sha256.txt',
      'ro-crate-metadata.json',
    ]);
    expect(readdirSync(path.join(folder, 'data')).sort()).toEqual([
      'bioreactor.csv',
      'bioreactor.parquet',
    ]);

    const csv = readFileSync(path.join(folder, 'data/bioreactor.csv'), 'utf8');
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...records] = csv.slice(0, -2).split('\r\n');
    expect(header).toBe('time,ph,phase,stirrer_rpm,temperature_c,reactor,site');
    expect([...records].sort()).toEqual(expected.map(reactorRecord).sort());

    const rows = await readParquet(path.join(folder, 'data/bioreactor.parquet'));
    const byKey = (row: Record<string, unknown>): string =>
      `${(row.time as Date).toISOString()} ${String(row.reactor)}`;
    expect([...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
      expected
        .map((point) => ({
          time: new Date(point.time * 1000),
          ph: point.ph,
          phase: point.phase,
          stirrer_rpm: BigInt(point.stirrer_rpm),
          temperature_c: point.temperature_c,
          reactor: point.reactor,
          site: 'lab',
        }))
        .sort((a, b) => byKey(a).localeCompare(byKey(b))),
    );
  });

  it('checksums match the files', async () => {
    const zip = (await download(measurementJob.id, 'researcher')).body as Buffer;
    const { folder, graph } = await unpack('checksums', zip);
    const manifest = readFileSync(path.join(folder, 'manifest-sha256.txt'), 'utf8');

    const expectedManifest = ['data/bioreactor.csv', 'data/bioreactor.parquet']
      .map((file) => `${sha256(readFileSync(path.join(folder, file)))}  ${file}\n`)
      .join('');
    expect(manifest).toBe(expectedManifest);
    for (const file of ['data/bioreactor.csv', 'data/bioreactor.parquet', 'manifest-sha256.txt']) {
      const bytes = readFileSync(path.join(folder, file));
      const described = entity(graph, file);
      expect(described['@type']).toBe('File');
      expect(described.sha256).toBe(sha256(bytes));
      expect(described.contentSize).toBe(String(bytes.length));
    }
    expect(entity(graph, 'data/bioreactor.csv').encodingFormat).toBe('text/csv');
    expect(entity(graph, 'data/bioreactor.parquet').encodingFormat).toBe(
      'application/vnd.apache.parquet',
    );
  });

  it('metadata names licence, identifier and provenance', async () => {
    const zip = (await download(measurementJob.id, 'researcher')).body as Buffer;
    const { graph } = await unpack('metadata', zip);
    const root = entity(graph, './');

    expect(entity(graph, 'ro-crate-metadata.json')).toEqual({
      '@id': 'ro-crate-metadata.json',
      '@type': 'CreativeWork',
      conformsTo: { '@id': 'https://w3id.org/ro/crate/1.2' },
      about: { '@id': './' },
    });
    expect(root['@type']).toBe('Dataset');
    expect(root.identifier).toBe(bioreactorPid);
    expect(root['cite-as']).toBe(bioreactorPid);
    expect(root.temporalCoverage).toBe('2024-03-01T01:00:00.000Z/2024-03-01T03:00:00.000Z');
    expect(root.license).toEqual({ '@id': 'https://creativecommons.org/licenses/by/4.0/' });
    expect(entity(graph, 'https://creativecommons.org/licenses/by/4.0/')).toEqual({
      '@id': 'https://creativecommons.org/licenses/by/4.0/',
      '@type': 'CreativeWork',
      name: 'Creative Commons Attribution 4.0 International',
      description: 'The licence the dataset carries in the catalog (CC-BY-4.0).',
      identifier: 'CC-BY-4.0',
      url: 'https://creativecommons.org/licenses/by/4.0/',
    });
    expect(root.publisher).toEqual({ '@id': 'http://weft.test/catalog#publisher' });
    expect(root.author).toEqual({ '@id': 'http://weft.test/catalog#publisher' });

    const action = entity(graph, `#export-${measurementJob.id}`);
    expect(action['@type']).toBe('CreateAction');
    expect(action.agent).toEqual({ '@id': 'urn:weft:account:alice-researcher' });
    expect(action.result).toEqual([
      { '@id': 'data/bioreactor.csv' },
      { '@id': 'data/bioreactor.parquet' },
      { '@id': 'manifest-sha256.txt' },
    ]);
    expect(action.object).toEqual([
      { '@id': bioreactorPid },
      { '@id': '#query-1' },
      { '@id': '#query-2' },
    ]);
    const select = `SELECT "ph"::field AS "ph", "phase"::field AS "phase", "stirrer_rpm"::field AS "stirrer_rpm", "temperature_c"::field AS "temperature_c", "reactor"::tag AS "reactor", "site"::tag AS "site" FROM "${harness.fixture.influxDatabase}"."autogen"."bioreactor"`;
    // 230 rows in pages of 100: the first page, then two pages that start after a time.
    const first = entity(graph, '#query-1');
    expect(first.text).toBe(`${select} WHERE time >= $from AND time < $to LIMIT 101`);
    expect(first.description).toContain('InfluxQL run once by source');
    const next = entity(graph, '#query-2');
    expect(next.text).toBe(
      `${select} WHERE time >= $from AND time < $to AND time >= $after LIMIT 101 OFFSET 2`,
    );
    expect(next.description).toContain('InfluxQL run 2 times (once per page)');

    const harvests = graph.filter((candidate) => candidate['@type'] === 'UpdateAction');
    expect(harvests.length).toBeGreaterThanOrEqual(1);
    expect(harvests[0].result).toEqual({ '@id': bioreactorPid });
    expect(root.mentions).toEqual([
      { '@id': `#export-${measurementJob.id}` },
      ...harvests.map((run) => ({ '@id': run['@id'] })),
    ]);
  });

  it('crate passes the RO-Crate 1.2 profile', async () => {
    const zip = (await download(measurementJob.id, 'researcher')).body as Buffer;
    const { zipFile, graph } = await unpack('validated', zip);

    // Every term the crate uses must be in the context the validator is given, or the
    // validator would see a property go missing instead of a wrong value.
    const context = JSON.parse(readFileSync(SUBSET_CONTEXT_FILE, 'utf8')) as {
      '@context': Record<string, string>;
    };
    const terms = new Set(
      graph
        .flatMap((item) => [...Object.keys(item), item['@type']])
        .filter((term) => !term.startsWith('@')),
    );
    expect([...terms].filter((term) => context['@context'][term] === undefined)).toEqual([]);

    const required = await validateRoCrate(zipFile, work, 'ro-crate-1.2', 'REQUIRED');
    expect(required.issues).toEqual([]);
    expect(required.passed).toBe(true);

    const recommended = await validateRoCrate(zipFile, work, 'ro-crate-1.2', 'RECOMMENDED');
    expect([...new Set(recommended.issues.map((issue) => issue.check))].sort()).toEqual(
      [...ACCEPTED_RECOMMENDATIONS].sort(),
    );
  });

  it('table export uses the time column', async () => {
    const started = await startExport(
      { dataset: batchPid, from: '2024-03-01T00:00:00Z', to: '2024-03-01T04:00:00Z' },
      'researcher',
    );
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(started.data?.startDatasetExport.id as string, 'researcher');
    expect(job.state).toBe('SUCCEEDED');
    expect(job.rowsWritten).toBe(3);

    const zip = (await download(job.id, 'researcher')).body as Buffer;
    const { folder, zipFile, graph } = await unpack('table', zip);
    expect(readFileSync(path.join(folder, 'data/batch.csv'), 'utf8')).toBe(
      [
        'batch_id,reactor,strain,started_at,ended_at,target_temperature,yield_g,status,notes',
        '1,BR-01,E. coli K-12,2024-03-01T00:30:00Z,2024-03-01T02:00:00Z,37,12.5,done,"{""medium"":""LB""}"',
        '2,BR-02,S. cerevisiae,2024-03-01T01:00:00Z,2024-03-01T03:15:00Z,30,8.25,done,',
        '3,BR-01,E. coli K-12,2024-03-01T03:00:00Z,2024-03-01T05:30:00.5Z,37,,failed,"{""medium"":""M9""}"',
        '',
      ].join('\r\n'),
    );
    const rows = await readParquet(path.join(folder, 'data/batch.parquet'));
    expect(rows.map((row) => [row.batch_id, row.started_at, row.ended_at, row.yield_g])).toEqual([
      [1n, new Date('2024-03-01T00:30:00Z'), new Date('2024-03-01T02:00:00Z'), 12.5],
      [2n, new Date('2024-03-01T01:00:00Z'), new Date('2024-03-01T03:15:00Z'), 8.25],
      [3n, new Date('2024-03-01T03:00:00Z'), new Date('2024-03-01T05:30:00.500Z'), null],
    ]);

    // The table has no licence, and the crate states that.
    expect(entity(graph, './').license).toEqual({ '@id': '#no-licence' });
    expect(entity(graph, '#no-licence').name).toBe('no licence assigned');
    expect(entity(graph, '#query-1').text).toContain(
      'WHERE "started_at" >= $1 AND "started_at" < $2',
    );
    const required = await validateRoCrate(zipFile, work, 'ro-crate-1.2', 'REQUIRED');
    expect(required.issues).toEqual([]);
  });

  it('progress rises to the total', async () => {
    const exporter = harness.app.app.get(DatasetExportService);
    const viewer: Viewer = {
      subject: 'progress-test',
      username: 'progress',
      roles: ['researcher'],
      realmRoles: ['researcher'],
    };
    const prepared = await exporter.prepare(
      { dataset: bioreactorPid, from: minute(0), to: minute(150) },
      viewer,
    );
    const updates: ExportProgress[] = [];
    const result = await exporter.write(
      prepared,
      path.join(work, 'progress.zip'),
      'progress',
      (update) => updates.push(update),
    );

    // 150 minutes with 10 minutes of BR-01 missing: 290 points, in pages of 100.
    expect(windowPoints(0, 150).length).toBe(290);
    expect(result.rowCount).toBe(290);
    expect(updates).toEqual([
      { rowsWritten: 0, estimatedTotal: 290 },
      { rowsWritten: 100, estimatedTotal: 290 },
      { rowsWritten: 200, estimatedTotal: 290 },
      { rowsWritten: 290, estimatedTotal: 290 },
    ]);
  });

  it('empty window gives header only', async () => {
    const exporter = harness.app.app.get(DatasetExportService);
    const viewer: Viewer = {
      subject: 'empty-test',
      username: 'empty',
      roles: ['researcher'],
      realmRoles: ['researcher'],
    };
    const prepared = await exporter.prepare(
      { dataset: bioreactorPid, from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' },
      viewer,
    );
    const updates: ExportProgress[] = [];
    const result = await exporter.write(prepared, path.join(work, 'empty.zip'), 'empty', (update) =>
      updates.push(update),
    );

    expect(result.rowCount).toBe(0);
    expect(updates).toEqual([
      { rowsWritten: 0, estimatedTotal: 0 },
      { rowsWritten: 0, estimatedTotal: 0 },
    ]);
    const { folder, graph } = await unpack('empty', readFileSync(result.path));
    expect(readFileSync(path.join(folder, 'data/bioreactor.csv'), 'utf8')).toBe(
      'time,ph,phase,stirrer_rpm,temperature_c,reactor,site\r\n',
    );
    expect(await readParquet(path.join(folder, 'data/bioreactor.parquet'))).toEqual([]);
    expect(String(entity(graph, './').description)).toMatch(/^0 rows of bioreactor/);
  });

  it('anonymous and unauthorized exports are rejected', async () => {
    const input = { dataset: bioreactorPid, from: minute(0), to: minute(60) };

    const anonymous = await startExport(input);
    expect(anonymous.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anonymous.errors?.[0].message).toContain('exports need a signed-in account');

    const noRole = await startExport(input, 'norole');
    expect(noRole.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(noRole.errors?.[0].message).toContain(
      `dataset "${bioreactorPid}" was not found or may not be read`,
    );

    await harness.setAccess('bioreactor', 'restricted');
    try {
      const researcher = await startExport(input, 'researcher');
      expect(researcher.errors?.[0].extensions.code).toBe('NOT_FOUND');
      const steward = await startExport(input, 'steward');
      expect(steward.errors).toBeUndefined();
      await waitForJob(steward.data?.startDatasetExport.id as string, 'steward');
    } finally {
      await harness.setAccess('bioreactor', 'site');
    }
  });

  it('downloads need the same account or a steward', async () => {
    expect(await jobAs(measurementJob.id, 'norole')).toBeNull();
    expect(await jobAs(measurementJob.id)).toBeNull();
    expect((await jobAs(measurementJob.id, 'steward'))?.state).toBe('SUCCEEDED');

    const anonymous = await download(measurementJob.id, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="weft"');
    const other = await download(measurementJob.id, 'norole');
    expect(other.status).toBe(404);
    expect(JSON.parse((other.body as Buffer).toString('utf8'))).toEqual({
      error: `export ${measurementJob.id} was not found: it expired, or another account started it`,
    });
    expect((await download(measurementJob.id, 'steward')).status).toBe(200);
  });

  it('downloads stop when access is withdrawn', async () => {
    const datasets = harness.app.app.get(DataSource).getRepository(DatasetEntity);
    const dataset = await datasets.findOneByOrFail({ pid: bioreactorPid });
    expect((await download(measurementJob.id, 'researcher')).status).toBe(200);

    await datasets.update({ id: dataset.id }, { accessLevel: 'restricted' });
    try {
      const refused = await download(measurementJob.id, 'researcher');
      expect(refused.status).toBe(403);
      expect(JSON.parse((refused.body as Buffer).toString('utf8'))).toEqual({
        error: `export ${measurementJob.id} is of dataset ${bioreactorPid}, whose data this account may no longer read: ask a data steward for access`,
      });
      expect((await download(measurementJob.id, 'steward')).status).toBe(200);
    } finally {
      await datasets.update({ id: dataset.id }, { accessLevel: dataset.accessLevel });
    }
  });

  it('bad input names the value', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { dataset: bioreactorPid, from: 'yesterday', to: minute(60) },
        'BAD_USER_INPUT',
        'from "yesterday" is not an ISO 8601 time with a zone: write it like 2024-03-01T00:00:00Z',
      ],
      [
        { dataset: bioreactorPid, from: '2024-03-01T00:00:00', to: minute(60) },
        'BAD_USER_INPUT',
        'from "2024-03-01T00:00:00" is not an ISO 8601 time with a zone',
      ],
      [
        { dataset: bioreactorPid, from: minute(60), to: minute(0) },
        'BAD_USER_INPUT',
        'the window is empty: from 2024-03-01T01:00:00.000Z is not before to 2024-03-01T00:00:00.000Z',
      ],
      [
        { dataset: bioreactorPid, from: '2024-01-01T00:00:00Z', to: '2024-03-01T00:00:00Z' },
        'BAD_USER_INPUT',
        'covers 60.0 days, more than the 30 days one export may cover (WEFT_EXPORT_MAX_WINDOW_DAYS): split it into several exports',
      ],
      [
        { dataset: 'http://weft.test/id/nothing', from: minute(0), to: minute(60) },
        'NOT_FOUND',
        'dataset "http://weft.test/id/nothing" was not found',
      ],
      [
        {
          dataset: (await harness.dataset('asset')).pid,
          from: minute(0),
          to: minute(60),
        },
        'NOT_QUERYABLE',
        'has no timestamp column, so a time window cannot select its rows',
      ],
      [
        { dataset: batchPid, from: minute(0), to: minute(60), timeColumn: 'status' },
        'BAD_USER_INPUT',
        'timeColumn "status" is not a timestamp column',
      ],
    ];
    for (const [input, code, message] of cases) {
      const body = await startExport(input, 'researcher');
      expect(body.errors?.[0].extensions.code).toBe(code);
      expect(body.errors?.[0].message).toContain(message);
    }
  });

  it('weft export writes the crate', async () => {
    const out = path.join(work, 'cli', 'bioreactor.zip');
    const stdout: string[] = [];
    const stderr: string[] = [];
    const streams = {
      stdout: (text: string) => stdout.push(text),
      stderr: (text: string) => stderr.push(text),
      stderrIsTty: false,
    };
    mkdirSync(path.dirname(out));

    const code = await runExportCommand(
      { ...harness.app.config, logLevel: 'warn' },
      [bioreactorPid, '--from', minute(60), '--to', minute(180), '--out', out],
      streams,
    );

    expect(stderr.join('')).not.toContain('weft export:');
    expect(code).toBe(0);
    const bytes = readFileSync(out);
    expect(stdout.join('')).toBe(
      `${out}\nsha256 ${sha256(bytes)}  ${bytes.length} bytes, 230 rows\n`,
    );
    expect(stderr.join('')).toContain('230 of about 230 rows (100%)\n');
    expect(stderr.join('')).toContain('wrote 230 rows\n');
    const { graph } = await unpack('cli', bytes);
    expect(entity(graph, './').identifier).toBe(bioreactorPid);
    expect(entity(graph, 'urn:weft:account:cli')['@type']).toBe('Person');
  });

  it('weft export errors name the fix', async () => {
    const cases: Array<[string[], number, string]> = [
      [
        [
          'http://weft.test/id/nothing',
          '--from',
          minute(0),
          '--to',
          minute(60),
          '--out',
          path.join(work, 'x.zip'),
        ],
        1,
        'weft export: dataset "http://weft.test/id/nothing" was not found or may not be read by this account',
      ],
      [
        [bioreactorPid, '--from', 'monday', '--to', minute(60), '--out', path.join(work, 'x.zip')],
        2,
        'weft export: from "monday" is not an ISO 8601 time with a zone: write it like 2024-03-01T00:00:00Z',
      ],
      [
        [
          bioreactorPid,
          '--from',
          '2023-01-01T00:00:00Z',
          '--to',
          minute(60),
          '--out',
          path.join(work, 'x.zip'),
        ],
        2,
        'more than the 30 days one export may cover (WEFT_EXPORT_MAX_WINDOW_DAYS)',
      ],
      [
        [bioreactorPid, '--from', minute(0), '--to', minute(60), '--out', path.join(work, 'x.tar')],
        2,
        `--out ${path.join(work, 'x.tar')} does not end in .zip`,
      ],
      [[bioreactorPid, '--from', minute(0)], 2, 'weft export: --to is missing'],
    ];
    for (const [args, expectedCode, message] of cases) {
      const stderr: string[] = [];
      const code = await runExportCommand({ ...harness.app.config, logLevel: 'warn' }, args, {
        stdout: () => undefined,
        stderr: (text) => stderr.push(text),
        stderrIsTty: false,
      });
      expect(stderr.join('')).toContain(message);
      expect(code).toBe(expectedCode);
    }
  });

  it('expired jobs and files are deleted', async () => {
    const jobs = harness.app.app.get(ExportJobsService);
    const file = path.join(exportDir, `weft-export-${measurementJob.id}.zip`);
    expect(existsSync(file)).toBe(true);

    await jobs.sweep(new Date(Date.now() + 4 * 60_000));
    expect(existsSync(file)).toBe(true);

    await jobs.sweep(new Date(Date.now() + 6 * 60_000));
    expect(existsSync(file)).toBe(false);
    expect(await jobAs(measurementJob.id, 'researcher')).toBeNull();
    expect((await download(measurementJob.id, 'researcher')).status).toBe(404);
  });
});
