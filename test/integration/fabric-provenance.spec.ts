import { createHash } from 'node:crypto';

import request from 'supertest';

import { CatalogService } from '../../src/catalog/catalog.service';
import { SourcesService } from '../../src/sources/sources.service';
import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';
import { minuteTime } from '../fixtures/fabric/lab-fixture';

// Each data query is a PROV-O activity with its own identifier: who asked,
// what it read, the statements the sources ran, the row count and a
// checksum of the result. Runs on the real test servers and Keycloak.

const OBSERVATIONS = `query($id: ID!, $input: ObservationQueryInput!) {
  dataset(id: $id) { observations(input: $input) { activityId checksum columns { name datatype unit role } rows } }
}`;
const RECORD = `query($id: ID!) {
  dataQuery(id: $id) {
    id operation status requestedBy startedAt endedAt datasets sources query rowCount resultChecksum error
    pushedDown { source language statement parameters rowCount }
    prov
  }
}`;

/** JSON with object keys sorted at every level, written here independently of the service. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    entry !== null && typeof entry === 'object' && !Array.isArray(entry)
      ? Object.fromEntries(
          Object.entries(entry as Record<string, unknown>).sort(([left], [right]) =>
            left < right ? -1 : 1,
          ),
        )
      : entry,
  );
}

describe('fabric provenance', () => {
  let harness: FabricHarness;
  let reactorPid: string;
  let batchPid: string;
  const input = {
    from: minuteTime(0),
    to: minuteTime(60),
    fields: ['temperature_c'],
    aggregation: 'MEAN',
    window: '15m',
  };

  beforeAll(async () => {
    harness = await startFabricHarness();
    reactorPid = (await harness.dataset('bioreactor')).pid;
    batchPid = (await harness.dataset('batch')).pid;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('query is recorded as a PROV-O activity', async () => {
    const answer = await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher');
    const frame = answer.body.data.dataset.observations;
    const record = (await harness.gql(RECORD, { id: frame.activityId }, 'researcher')).body.data
      .dataQuery;
    const influxSource = await harness.app.app.get(SourcesService).findByKey('lab-influx');

    expect(record.id).toBe(frame.activityId);
    expect(record.operation).toBe('observations');
    expect(record.status).toBe('succeeded');
    expect(record.requestedBy).toBe(harness.env.WEFT_TEST_USER_RESEARCHER);
    expect(record.datasets).toEqual([reactorPid]);
    expect(record.sources).toEqual([influxSource!.pid]);
    expect(record.rowCount).toBe(4);
    expect(record.resultChecksum).toBe(frame.checksum);
    expect(record.error).toBeNull();
    expect(record.query).toMatchObject({
      dataset: reactorPid,
      from: '2024-03-01T00:00:00.000Z',
      to: '2024-03-01T01:00:00.000Z',
      fields: ['temperature_c'],
      aggregation: 'mean',
      window: '15m',
      fill: 'null',
      limit: 1000,
    });
    expect(record.pushedDown).toEqual([
      {
        source: influxSource!.pid,
        language: 'InfluxQL',
        statement: `SELECT mean("temperature_c") AS "temperature_c" FROM "${harness.fixture.influxDatabase}"."autogen"."bioreactor" WHERE time >= $from AND time < $to GROUP BY time(15m) fill(null) LIMIT 1001`,
        parameters: { from: '2024-03-01T00:00:00.000Z', to: '2024-03-01T01:00:00.000Z' },
        rowCount: 4,
      },
    ]);
    expect(Date.parse(record.endedAt)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
  });

  it('document names the activity, inputs and agents', async () => {
    const answer = await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher');
    const activityId = answer.body.data.dataset.observations.activityId as string;
    const prov = (await harness.gql(RECORD, { id: activityId }, 'researcher')).body.data.dataQuery
      .prov;
    const influxSource = await harness.app.app.get(SourcesService).findByKey('lab-influx');

    expect(prov['@id']).toBe(activityId);
    expect(prov['@type']).toEqual(['prov:Activity', 'weft:DataQuery']);
    expect(prov['prov:used']).toEqual([reactorPid, influxSource!.pid]);
    expect(prov['prov:wasAssociatedWith']).toEqual([
      {
        '@id': 'urn:weft:software:weft-fabric%2F0.1.0',
        '@type': 'prov:SoftwareAgent',
        'rdfs:label': 'weft-fabric/0.1.0',
      },
      {
        '@id': `urn:weft:account:${harness.env.WEFT_TEST_USER_RESEARCHER}`,
        '@type': 'prov:Person',
      },
    ]);
    expect(prov['weft:rowCount']).toBe(4);
    expect(prov['weft:pushedDownQuery'][0]['weft:language']).toBe('InfluxQL');
    expect(prov['weft:resultChecksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('identifier is an activity in the registry', async () => {
    const answer = await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher');
    const activityId = answer.body.data.dataset.observations.activityId as string;
    const localId = activityId.slice(activityId.lastIndexOf('/') + 1);
    const resolution = await harness.app.app.get(CatalogService).resolve(localId);

    expect(resolution.state).toBe('active');
    expect(resolution.state === 'active' ? resolution.entityType : undefined).toBe('activity');
  });

  it('activity resolves at its identifier', async () => {
    const answer = await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher');
    const activityId = answer.body.data.dataset.observations.activityId as string;
    const localId = activityId.slice(activityId.lastIndexOf('/') + 1);
    const server = harness.app.app.getHttpServer();

    const signedIn = await request(server)
      .get(`/id/${localId}`)
      .set('Accept', 'application/ld+json')
      .set('Authorization', `Bearer ${harness.tokens.researcher}`);
    expect(signedIn.status).toBe(200);
    expect(JSON.parse(signedIn.text)['@id']).toBe(activityId);

    const page = await request(server)
      .get(`/id/${localId}`)
      .set('Accept', 'text/html')
      .set('Authorization', `Bearer ${harness.tokens.researcher}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Data query (PROV-O activity)');

    // The query read a site-level dataset, so its record is not public either.
    const anonymous = await request(server)
      .get(`/id/${localId}`)
      .set('Accept', 'application/ld+json');
    expect(anonymous.status).toBe(401);
  });

  it('checksum is the hash of the returned data', async () => {
    const first = (await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher')).body
      .data.dataset.observations;
    const second = (await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'steward')).body.data
      .dataset.observations;
    const expected = createHash('sha256')
      .update(sortedJson({ columns: first.columns, rows: first.rows }))
      .digest('hex');

    expect(first.checksum).toBe(expected);
    expect(second.checksum).toBe(first.checksum);
    expect(second.activityId).not.toBe(first.activityId);
  });

  it('join records both datasets and sources', async () => {
    const response = await harness.gql(
      `query($id: ID!, $input: SeriesJoinInput!) { dataset(id: $id) { joinSeries(input: $input) { activityId pointCount rowCount } } }`,
      {
        id: batchPid,
        input: {
          series: reactorPid,
          mode: 'TIME_WINDOW',
          startColumn: 'started_at',
          endColumn: 'ended_at',
          keyColumn: 'reactor',
          tag: 'reactor',
          observations: { fields: ['temperature_c'], aggregation: 'MEAN' },
        },
      },
      'researcher',
    );
    const join = response.body.data.dataset.joinSeries;
    const record = (await harness.gql(RECORD, { id: join.activityId }, 'researcher')).body.data
      .dataQuery;
    const sources = harness.app.app.get(SourcesService);

    expect(record.operation).toBe('joinSeries');
    expect(record.datasets).toEqual([batchPid, reactorPid]);
    expect(record.sources).toEqual([
      (await sources.findByKey('lab-db'))!.pid,
      (await sources.findByKey('lab-influx'))!.pid,
    ]);
    expect(record.pushedDown.map((query: { language: string }) => query.language)).toEqual([
      'SQL',
      'InfluxQL',
      'InfluxQL',
      'InfluxQL',
      'InfluxQL',
      'InfluxQL',
    ]);
    expect(record.rowCount).toBe(join.rowCount + join.pointCount);
    expect(join.pointCount).toBe(4);
  });

  it('record is hidden from viewers who may not read its datasets', async () => {
    const answer = await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher');
    const activityId = answer.body.data.dataset.observations.activityId as string;
    await harness.setAccess('bioreactor', 'restricted');
    const researcher = await harness.gql(RECORD, { id: activityId }, 'researcher');
    const steward = await harness.gql(RECORD, { id: activityId }, 'steward');
    const anonymous = await harness.gql(RECORD, { id: activityId });
    await harness.setAccess('bioreactor', 'site');

    expect(researcher.body.data.dataQuery).toBeNull();
    expect(anonymous.body.data.dataQuery).toBeNull();
    expect(steward.body.data.dataQuery.id).toBe(activityId);
  });

  it('failed query is recorded with its error', async () => {
    const response = await harness.gql(
      OBSERVATIONS,
      {
        id: reactorPid,
        input: {
          from: minuteTime(0),
          to: minuteTime(360),
          fields: ['ph'],
          limit: 10,
          budget: { maxRows: 5 },
        },
      },
      'researcher',
    );
    const rejected = response.body.errors[0];
    const slowRows = await harness.gql(
      'query($id: ID!) { dataset(id: $id) { rows(input: { budget: { timeoutMs: 200 } }) { activityId } } }',
      { id: (await harness.dataset('slow_batch')).pid },
      'researcher',
    );
    const failure = slowRows.body.errors[0];
    const record = (await harness.gql(RECORD, { id: failure.extensions.activityId }, 'researcher'))
      .body.data.dataQuery;

    // A page larger than the budget is refused before any source is asked, so nothing is recorded.
    expect(rejected.extensions.code).toBe('ROW_BUDGET_EXCEEDED');
    expect(rejected.extensions.activityId).toBeUndefined();
    expect(record.status).toBe('failed');
    expect(record.error).toBe(failure.message);
    expect(record.resultChecksum).toBeNull();
    expect(record.pushedDown[0].language).toBe('SQL');
  });

  it('malformed activity identifier is rejected', async () => {
    const response = await harness.gql(RECORD, { id: 'not-an-id' }, 'researcher');

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
