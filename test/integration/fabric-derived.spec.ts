import request from 'supertest';
import { DataSource } from 'typeorm';

import { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import { HarvestService } from '../../src/harvest/harvest.service';
import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';
import { FIXTURE_START, minuteTime } from '../fixtures/fabric/lab-fixture';

// Query results saved as derived datasets: their identifier, combined
// licence, citation and time-bounded re-execution, on the real test
// servers (PostgreSQL, InfluxDB 1.x, Keycloak). Expected values come from
// the points the fixture and the tests wrote, not from Weft.

const OBSERVATIONS = `query($id: ID!, $input: ObservationQueryInput!) {
  dataset(id: $id) { observations(input: $input) { activityId checksum columns { name } rows } }
}`;
const OBSERVATIONS_PAGE = `query($id: ID!, $input: ObservationQueryInput!) {
  dataset(id: $id) { observations(input: $input) { activityId pageInfo { endCursor } } }
}`;
const JOIN = `query($id: ID!, $input: SeriesJoinInput!) {
  dataset(id: $id) { joinSeries(input: $input) { activityId checksum pointCount rows { values series } } }
}`;
const ROWS = `query($id: ID!, $input: RowQueryInput) {
  dataset(id: $id) { rows(input: $input) { activityId checksum rows } }
}`;
const SAVE = `mutation($input: SaveQueryResultInput!) {
  saveQueryResult(input: $input) {
    id kind title accessLevel
    licence { id isCustom policy { permissions prohibitions duties { action licence } } }
    source { id }
  }
}`;
const DERIVED = `query($id: ID!) {
  dataset(id: $id) {
    id kind
    derivation { activityId operation executedAt inputs resultChecksum rowCount savedBy citation }
    reexecute {
      activityId executedAt timeBounded note checksum storedChecksum matches
      columns { name } seriesColumns { name } rows
    }
  }
}`;

/**
 * Return a point time in whole seconds that is later than every query that ran
 * before the call, and not in the future (an open join window reads up to now).
 */
async function secondAfterEarlierQueries(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return Math.floor(Date.now() / 1000);
}

describe('derived datasets', () => {
  let harness: FabricHarness;
  let reactorPid: string;
  let batchPid: string;
  let assetPid: string;

  const setLicence = async (name: string, licenceId: string | null): Promise<void> => {
    const entity = await harness.dataset(name);
    await harness.app.app
      .get(DataSource)
      .getRepository(DatasetEntity)
      .update({ id: entity.id }, { licenceId });
  };
  const save = async (
    activityId: string,
    title: string,
    role?: 'researcher' | 'steward' | 'norole',
  ) => harness.gql(SAVE, { input: { activityId, title, description: 'Saved by a test' } }, role);
  const joinActivity = async (): Promise<string> => {
    const body = (
      await harness.gql(
        JOIN,
        {
          id: batchPid,
          input: {
            series: reactorPid,
            mode: 'TIME_WINDOW',
            startColumn: 'started_at',
            endColumn: 'ended_at',
            keyColumn: 'reactor',
            tag: 'reactor',
            rows: { columns: ['batch_id', 'reactor'], orderBy: [{ column: 'batch_id' }] },
            observations: { fields: ['temperature_c'], aggregation: 'COUNT' },
          },
        },
        'researcher',
      )
    ).body;
    expect(body.errors).toBeUndefined();
    return body.data.dataset.joinSeries.activityId as string;
  };

  beforeAll(async () => {
    harness = await startFabricHarness();
    reactorPid = (await harness.dataset('bioreactor')).pid;
    batchPid = (await harness.dataset('batch')).pid;
    assetPid = (await harness.dataset('asset')).pid;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('observations re-execute unchanged after newer writes', async () => {
    await setLicence('bioreactor', 'CC-BY-4.0');
    const input = {
      from: minuteTime(300),
      to: '2100-01-01T00:00:00Z',
      fields: ['temperature_c'],
      tagFilters: [{ tag: 'reactor', op: 'EQ', values: ['BR-01'] }],
      limit: 1000,
    };
    const first = (await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher')).body
      .data.dataset.observations;
    const columns: string[] = first.columns.map((column: { name: string }) => column.name);
    const expectedRows = harness.fixture.reactorPoints
      .filter((point) => point.reactor === 'BR-01' && point.time >= FIXTURE_START + 300 * 60)
      .map((point) =>
        columns.map((name) => {
          switch (name) {
            case 'time':
              return new Date(point.time * 1000).toISOString().replace('.000Z', 'Z');
            case 'temperature_c':
              return point.temperature_c;
            case 'reactor':
              return 'BR-01';
            case 'site':
              return 'lab';
            default:
              throw new Error(`unexpected column ${name}`);
          }
        }),
      );
    expect(columns).toEqual(['time', 'temperature_c', 'reactor', 'site']);
    expect(first.rows).toEqual(expectedRows);
    expect(expectedRows).toHaveLength(60);

    const saved = await save(first.activityId, 'BR-01 temperature, last hour', 'researcher');
    expect(saved.body.errors).toBeUndefined();
    const dataset = saved.body.data.saveQueryResult;
    expect(dataset.kind).toBe('derived');
    expect(dataset.title).toBe('BR-01 temperature, last hour');
    expect(dataset.licence.id).toBe('CC-BY-4.0');
    expect(dataset.accessLevel).toBe('SITE');

    // A point written after the query, with a later time, inside the query's range.
    const later = await secondAfterEarlierQueries();
    await harness.fixture.influx.write(
      harness.fixture.influxDatabase,
      `bioreactor,reactor=BR-01,site=lab temperature_c=99.5,ph=7,stirrer_rpm=1i,phase="late" ${later}`,
      { precision: 's', signal: new AbortController().signal },
    );
    const fresh = (await harness.gql(OBSERVATIONS, { id: reactorPid, input }, 'researcher')).body
      .data.dataset.observations;
    expect(fresh.rows).toHaveLength(61);
    expect(fresh.rows[60][1]).toBe(99.5);

    const cited = (await harness.gql(DERIVED, { id: dataset.id }, 'researcher')).body.data.dataset;
    expect(cited.derivation.activityId).toBe(first.activityId);
    expect(cited.derivation.operation).toBe('observations');
    expect(cited.derivation.inputs).toEqual([reactorPid]);
    expect(cited.derivation.resultChecksum).toBe(first.checksum);
    expect(cited.derivation.rowCount).toBe(60);
    expect(cited.derivation.savedBy).toBe('alice-researcher');
    expect(cited.derivation.citation).toBe(
      `Site operator (${new Date().getUTCFullYear()}). BR-01 temperature, last hour [Data set]. Weft site catalog. ${dataset.id}. ` +
        `Derived from ${reactorPid} by query ${first.activityId}, executed ${cited.derivation.executedAt}; result SHA-256 ${first.checksum}.`,
    );
    expect(cited.reexecute.timeBounded).toBe(true);
    expect(cited.reexecute.note).toBeNull();
    expect(cited.reexecute.matches).toBe(true);
    expect(cited.reexecute.checksum).toBe(first.checksum);
    expect(cited.reexecute.storedChecksum).toBe(first.checksum);
    expect(cited.reexecute.rows).toEqual(expectedRows);
    expect(cited.reexecute.activityId).not.toBe(first.activityId);
  });

  it('join saved with combined licence', async () => {
    await setLicence('batch', 'CC-BY-4.0');
    await setLicence('bioreactor', 'CC-BY-SA-4.0');
    const activityId = await joinActivity();

    const saved = await save(activityId, 'Batches with reactor temperature counts', 'researcher');
    expect(saved.body.errors).toBeUndefined();
    const dataset = saved.body.data.saveQueryResult;
    expect(dataset.licence).toEqual({
      id: 'CC-BY-SA-4.0',
      isCustom: false,
      policy: {
        permissions: [
          'odrl:use',
          'odrl:reproduce',
          'odrl:distribute',
          'odrl:derive',
          'odrl:commercialize',
        ],
        prohibitions: [],
        duties: [
          { action: 'odrl:attribute', licence: null },
          { action: 'cc:ShareAlike', licence: 'CC-BY-SA-4.0' },
        ],
      },
    });

    // Batch 4 has no end, so its window reads the series up to now: a newer BR-02
    // point would change a plain re-run, but not the time-bounded re-execution.
    await harness.fixture.influx.write(
      harness.fixture.influxDatabase,
      `bioreactor,reactor=BR-02,site=lab temperature_c=31.5,ph=7,stirrer_rpm=1i,phase="late" ${await secondAfterEarlierQueries()}`,
      { precision: 's', signal: new AbortController().signal },
    );
    const cited = (await harness.gql(DERIVED, { id: dataset.id }, 'researcher')).body.data.dataset;
    expect(cited.derivation.inputs.sort()).toEqual([batchPid, reactorPid].sort());
    expect(cited.reexecute.timeBounded).toBe(true);
    expect(cited.reexecute.note).toBeNull();
    expect(cited.reexecute.matches).toBe(true);
    expect(cited.reexecute.seriesColumns.map((column: { name: string }) => column.name)).toEqual([
      'time',
      'temperature_c',
    ]);
    // Batch 4 (BR-02 from minute 300) counts the fixture's 60 points, not the newer one.
    const batch4 = cited.reexecute.rows.find((row: { values: unknown[] }) => row.values[0] === 4);
    expect(batch4.series[0][1]).toBe(60);

    const now = (
      await harness.gql(
        JOIN,
        {
          id: batchPid,
          input: {
            series: reactorPid,
            mode: 'TIME_WINDOW',
            startColumn: 'started_at',
            endColumn: 'ended_at',
            keyColumn: 'reactor',
            tag: 'reactor',
            rows: { columns: ['batch_id', 'reactor'], orderBy: [{ column: 'batch_id' }] },
            observations: { fields: ['temperature_c'], aggregation: 'COUNT' },
          },
        },
        'researcher',
      )
    ).body.data.dataset.joinSeries;
    const batch4Now = now.rows.find((row: { values: unknown[] }) => row.values[0] === 4);
    expect(batch4Now.series[0][1]).toBe(61);
  });

  it('derived dataset resolves as linked data', async () => {
    await setLicence('batch', 'CC-BY-4.0');
    await setLicence('bioreactor', 'CC0-1.0');
    const activityId = await joinActivity();
    const dataset = (await save(activityId, 'Batch counts for linked data', 'researcher')).body.data
      .saveQueryResult;
    const localId = dataset.id.split('/').pop() as string;
    const server = harness.app.app.getHttpServer();
    const token = harness.tokens.researcher;

    const jsonLd = await request(server)
      .get(`/id/${localId}`)
      .set('Accept', 'application/ld+json')
      .set('Authorization', `Bearer ${token}`);
    expect(jsonLd.status).toBe(200);
    const body = jsonLd.body as Record<string, unknown>;
    expect((body['prov:wasDerivedFrom'] as string[]).sort()).toEqual([batchPid, reactorPid].sort());
    expect(body['prov:wasGeneratedBy']).toEqual({ '@id': activityId, '@type': 'prov:Activity' });
    expect(body['weft:datasetKind']).toBe('derived');
    expect(body['weft:resultChecksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(body['dct:bibliographicCitation']).toContain(`by query ${activityId}, executed `);
    expect(body['odrl:hasPolicy']).toEqual({
      '@id': 'urn:weft:licence-policy:CC-BY-4.0',
      '@type': 'odrl:Set',
      'rdfs:label': 'Rules of CC-BY-4.0',
      'rdfs:comment':
        'You may use the data, make copies of the data, share the data with others, create derived data from it and use the data commercially. You must credit the source (attribution).',
      'dct:source': { '@id': 'https://creativecommons.org/licenses/by/4.0/' },
      'odrl:permission': [
        'odrl:use',
        'odrl:reproduce',
        'odrl:distribute',
        'odrl:derive',
        'odrl:commercialize',
      ].map((action) => ({
        '@type': 'odrl:Permission',
        'odrl:action': { '@id': action },
        'odrl:duty': [
          {
            '@type': 'odrl:Duty',
            'odrl:action': { '@id': 'odrl:attribute' },
            'rdfs:label': 'credit the source (attribution)',
          },
        ],
      })),
    });

    const turtle = await request(server)
      .get(`/id/${localId}`)
      .set('Accept', 'text/turtle')
      .set('Authorization', `Bearer ${token}`);
    expect(turtle.status).toBe(200);
    expect(turtle.text).toContain('odrl:hasPolicy <urn:weft:licence-policy:CC-BY-4.0>');

    const page = await request(server)
      .get(`/id/${localId}`)
      .set('Accept', 'text/html')
      .set('Authorization', `Bearer ${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Terms of use</h2>');
    expect(page.text).toContain('<li>credit the source (attribution)</li>');
    expect(page.text).toContain('<h2>Derivation</h2>');
    expect(page.text).toContain(`by query ${activityId}, executed `);
    expect(page.text).toContain('<dt>Saved</dt>');
    const schemaOrg = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.text);
    const embedded = JSON.parse(schemaOrg?.[1] ?? '{}') as Record<string, unknown>;
    expect((embedded.isBasedOn as string[]).sort()).toEqual([batchPid, reactorPid].sort());
    expect(embedded.citation).toBe(body['dct:bibliographicCitation']);
  });

  it('incompatible licences are refused', async () => {
    const activityId = await joinActivity();
    const cases: Array<[string | null, string, string]> = [
      [
        'ODbL-1.0',
        'CC-BY-SA-4.0',
        `the inputs are under different share-alike licences (${batchPid} under ODbL-1.0; ${reactorPid} under CC-BY-SA-4.0): each requires derived data under itself, so they cannot be combined`,
      ],
      [
        'CC-BY-4.0',
        'CC-BY-ND-4.0',
        `licence CC-BY-ND-4.0 of input dataset ${reactorPid} does not permit odrl:derive (no derivatives): leave that dataset out of the query`,
      ],
      [
        null,
        'CC-BY-4.0',
        `input dataset ${batchPid} has no licence, so nothing permits deriving data from it: ask a steward to assign one`,
      ],
    ];
    for (const [batchLicence, reactorLicence, message] of cases) {
      await setLicence('batch', batchLicence);
      await setLicence('bioreactor', reactorLicence);

      const response = await save(activityId, 'Refused', 'researcher');

      expect(response.body.errors?.[0]?.extensions?.code).toBe('LICENCE_INCOMPATIBLE');
      expect(response.body.errors?.[0]?.message).toBe(message);
    }
  });

  it('NC with Apache gets a generated licence', async () => {
    await setLicence('batch', 'CC-BY-NC-4.0');
    await setLicence('bioreactor', 'CC-BY-4.0');
    const ncActivity = await joinActivity();
    const nc = (await save(ncActivity, 'Non-commercial counts', 'researcher')).body.data
      .saveQueryResult;
    expect(nc.licence.id).toBe('CC-BY-NC-4.0');

    await setLicence('bioreactor', 'Apache-2.0');
    const generated = (await save(ncActivity, 'Generated licence counts', 'researcher')).body.data
      .saveQueryResult;
    expect(generated.licence.id).toMatch(/^LicenseRef-weft-combined-[0-9a-f]{12}$/);
    expect(generated.licence.isCustom).toBe(true);
    expect(generated.licence.policy).toEqual({
      permissions: ['odrl:use', 'odrl:reproduce', 'odrl:distribute', 'odrl:derive'],
      prohibitions: ['odrl:commercialize'],
      duties: [
        { action: 'odrl:attribute', licence: null },
        { action: 'cc:Notice', licence: null },
      ],
    });
  });

  it('later page cannot be saved', async () => {
    const input = { from: minuteTime(0), to: minuteTime(60), fields: ['temperature_c'], limit: 30 };
    const first = (await harness.gql(OBSERVATIONS_PAGE, { id: reactorPid, input }, 'researcher'))
      .body.data.dataset.observations;
    const second = (
      await harness.gql(
        OBSERVATIONS_PAGE,
        { id: reactorPid, input: { ...input, after: first.pageInfo.endCursor } },
        'researcher',
      )
    ).body.data.dataset.observations;

    const response = await save(second.activityId, 'Second page', 'researcher');

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      `query activity ${second.activityId} returned a later page (after time ${minuteTime(14)}): save the activity of the first page, or ask for a larger limit so the result fits one page`,
    );
  });

  it('anonymous and role-less saves are refused', async () => {
    await setLicence('batch', 'CC0-1.0');
    await setLicence('bioreactor', 'CC0-1.0');
    const activityId = await joinActivity();

    const anonymous = await save(activityId, 'Anonymous');
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.errors[0].message).toBe(
      'saving a query result needs a signed-in account: send "Authorization: Bearer <access token>" for an account with the researcher role',
    );

    const norole = await save(activityId, 'No role', 'norole');
    expect(norole.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('unreadable input hides the derived dataset', async () => {
    await setLicence('batch', 'CC0-1.0');
    await setLicence('bioreactor', 'CC0-1.0');
    const activityId = await joinActivity();
    const dataset = (await save(activityId, 'Hidden later', 'researcher')).body.data
      .saveQueryResult;
    const localId = dataset.id.split('/').pop() as string;
    const server = harness.app.app.getHttpServer();

    await harness.setAccess('bioreactor', 'restricted');
    try {
      const asResearcher = await harness.gql(DERIVED, { id: dataset.id }, 'researcher');
      expect(asResearcher.body.data.dataset).toBeNull();

      const page = await request(server)
        .get(`/id/${localId}`)
        .set('Accept', 'application/ld+json')
        .set('Authorization', `Bearer ${harness.tokens.researcher}`);
      expect(page.status).toBe(403);

      const asSteward = await harness.gql(DERIVED, { id: dataset.id }, 'steward');
      expect(asSteward.body.errors).toBeUndefined();
      expect(asSteward.body.data.dataset.reexecute.matches).toBe(true);
    } finally {
      await harness.setAccess('bioreactor', 'site');
    }
  });

  it('access change of an input reaches derived datasets', async () => {
    await setLicence('batch', 'CC0-1.0');
    await setLicence('bioreactor', 'CC0-1.0');
    const activityId = await joinActivity();
    const dataset = (await save(activityId, 'Follows its inputs', 'researcher')).body.data
      .saveQueryResult;
    const setLevel = (accessLevel: string) =>
      harness.gql(
        'mutation($input: SetAccessLevelInput!) { setDatasetAccessLevel(input: $input) { accessLevel } }',
        { input: { datasetId: reactorPid, accessLevel, reason: 'embargoed for review' } },
        'steward',
      );
    const search = async (): Promise<string[]> => {
      const response = await harness.gql(
        '{ searchDatasets(input: { text: "Follows its inputs" }) { nodes { id } } }',
        {},
        'researcher',
      );
      const nodes = response.body.data.searchDatasets.nodes as Array<{ id: string }>;
      return nodes.map((node) => node.id);
    };

    expect(await search()).toEqual([dataset.id]);
    try {
      expect((await setLevel('RESTRICTED')).body.errors).toBeUndefined();

      const derived = await harness.app.app
        .get(DataSource)
        .getRepository(DatasetEntity)
        .findOneOrFail({ where: { pid: dataset.id } });
      expect(derived.accessLevel).toBe('restricted');
      expect(await search()).toEqual([]);
    } finally {
      await setLevel('SITE');
    }
    expect(await search()).toEqual([dataset.id]);
  });

  it('table without time column says so', async () => {
    await setLicence('asset', 'CC0-1.0');
    const first = (
      await harness.gql(
        ROWS,
        {
          id: assetPid,
          input: {
            columns: ['asset_id', 'name'],
            filters: [{ column: 'asset_id', op: 'IN', values: ['plug-1', 'plug-2'] }],
            orderBy: [{ column: 'asset_id' }],
          },
        },
        'researcher',
      )
    ).body.data.dataset.rows;
    const dataset = (await save(first.activityId, 'Assets', 'researcher')).body.data
      .saveQueryResult;

    const cited = (await harness.gql(DERIVED, { id: dataset.id }, 'researcher')).body.data.dataset;

    expect(cited.reexecute.timeBounded).toBe(false);
    expect(cited.reexecute.note).toBe(
      `table ${harness.fixture.schema}.asset has no time column that is never null, so it is read as it is now: rows added, changed or deleted since the query ran change the result`,
    );
    expect(cited.reexecute.matches).toBe(true);
    expect(cited.reexecute.rows).toEqual([
      ['plug-1', 'Incubator plug'],
      ['plug-2', 'Shaker plug'],
    ]);
  });

  it('harvests never touch derived datasets', async () => {
    const harvest = harness.app.app.get(HarvestService);

    await expect(harvest.runNow('weft-derived')).rejects.toThrow(
      'source "weft-derived" contains derived datasets saved from query results and is never harvested',
    );
    const run = await harvest.runNow('lab-influx', 'demand', 'test');
    expect(run.status).toBe('succeeded');
    const derived = await harness.app.app
      .get(DataSource)
      .getRepository(DatasetEntity)
      .find({ where: { kind: 'derived' } });
    expect(derived.length).toBeGreaterThan(0);
    expect(derived.every((dataset) => dataset.status === 'active')).toBe(true);
  });

  it('licenceAllows explains refusals', async () => {
    const response = await harness.gql(
      `{ nc: licenceAllows(licence: "CC-BY-NC-4.0", action: "commercialize") { allowed reason action }
         by: licenceAllows(licence: "CC-BY-4.0", action: "export") { allowed reason duties { action description } } }`,
    );

    expect(response.body.data.nc).toEqual({
      allowed: false,
      action: 'odrl:commercialize',
      reason:
        'licence CC-BY-NC-4.0 prohibits odrl:commercialize: you may not use the data commercially',
    });
    expect(response.body.data.by).toEqual({
      allowed: true,
      reason: 'licence CC-BY-4.0 permits odrl:reproduce if you credit the source (attribution)',
      duties: [{ action: 'odrl:attribute', description: 'credit the source (attribution)' }],
    });
  });

  it('custom licence needs its policy', async () => {
    const assign = (custom: Record<string, unknown>) =>
      harness.gql(
        'mutation($input: AssignLicenceInput!) { assignLicence(input: $input) { licence { id policy { permissions } } } }',
        {
          input: {
            datasetId: assetPid,
            custom: {
              id: 'LicenseRef-lab-internal',
              name: 'Lab internal use',
              text: 'Use inside the lab only; do not share outside it.',
              ...custom,
            },
            reason: 'internal data',
          },
        },
        'steward',
      );

    const missing = await assign({});
    expect(missing.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(missing.body.errors[0].message).toBe(
      'custom licence "LicenseRef-lab-internal" has no policy: give policy { permissions, duties, prohibitions } with ODRL actions (odrl:use, odrl:reproduce, odrl:distribute, odrl:derive, odrl:commercialize)',
    );
    const noDuties = await assign({ policy: { permissions: ['odrl:use'], prohibitions: [] } });
    expect(noDuties.body.errors[0].message).toBe(
      'custom licence "LicenseRef-lab-internal" has no policy.duties: give the list (an empty list when there are none)',
    );

    const created = await assign({
      policy: {
        permissions: ['odrl:use', 'odrl:derive'],
        duties: [{ action: 'odrl:attribute' }],
        prohibitions: ['odrl:distribute'],
      },
    });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.assignLicence.licence).toEqual({
      id: 'LicenseRef-lab-internal',
      policy: { permissions: ['odrl:use', 'odrl:derive'] },
    });
  });
});
