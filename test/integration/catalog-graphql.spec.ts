import request from 'supertest';
import { DataSource } from 'typeorm';

import { SourceSystemEntity } from '../../src/catalog/entities/source-system.entity';
import { SnapshotWriterService } from '../../src/harvest/ingest/snapshot-writer.service';
import { SourcesService } from '../../src/sources/sources.service';
import { loadTestEnv } from '../env/load-env';
import { fetchToken } from '../env/keycloak-token';
import { snapshotOf, topicDataset } from '../support/snapshots';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

// Catalog search, lookup and curation through GraphQL, against a real
// PostgreSQL database and real Keycloak tokens.
describe('catalog GraphQL API', () => {
  let harness: TestApp;
  let source: SourceSystemEntity;
  const tokens: Record<string, string> = {};

  const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const call = request(harness.app.getHttpServer()).post('/graphql').send({ query, variables });
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    const env = loadTestEnv();
    harness = await startTestApp({
      WEFT_OIDC_ISSUER: env.WEFT_TEST_KEYCLOAK_ISSUER,
      WEFT_OIDC_AUDIENCE: env.WEFT_TEST_KEYCLOAK_AUDIENCE,
      WEFT_DEFAULT_ACCESS_LEVEL: 'site',
    });
    for (const role of ['researcher', 'steward', 'admin', 'norole'] as const) {
      tokens[role] = await fetchToken(env, role);
    }

    const sources = harness.app.get(SourcesService);
    source = await sources.upsert({
      id: 'site-broker',
      kind: 'mqtt',
      title: 'Site broker',
      place: 'Building A',
      url: 'mqtts://broker.test:8883',
      topics: ['#'],
      observeSeconds: 1,
      intervalSeconds: 0,
      enabled: true,
    });
    const writer = harness.app.get(SnapshotWriterService);
    await writer.write(
      source,
      snapshotOf('site-broker', [
        topicDataset('zigbee2mqtt/kitchen_sensor', {
          title: 'Kitchen climate sensor',
          place: 'Kitchen',
        }),
        topicDataset('zigbee2mqtt/office_sensor', {
          title: 'Office climate sensor',
          place: 'Office',
        }),
        topicDataset('shellies/plug-1/power', {
          title: 'Coffee machine plug power',
          properties: [
            {
              name: 'apower',
              datatypes: ['xsd:double'],
              unit: 'W',
              quantityKind: 'Power',
              observedCount: 3,
            },
          ],
        }),
      ]),
      'urn:test:activity:1',
    );
  });

  it('rejects NUL characters in strings', async () => {
    const inVariable = await gql(
      'query($text: String!) { searchDatasets(input: { text: $text }) { totalCount } }',
      { text: 'kitchen\u0000' },
    );
    expect(inVariable.status).toBe(400);
    expect(inVariable.body.errors[0].message).toBe(
      '$text contains a NUL character (U+0000): remove it',
    );
    expect(inVariable.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const inLiteral = await gql('{ searchDatasets(input: { text: "a\\u0000" }) { totalCount } }');
    expect(inLiteral.status).toBe(400);
    expect(inLiteral.body.errors[0].message).toBe(
      'field text contains a NUL character (U+0000): remove it',
    );
  });

  it('hides source internals from anonymous callers', async () => {
    await harness.app
      .get(DataSource)
      .getRepository(SourceSystemEntity)
      .update(
        { id: source.id },
        { details: { server: 'mosquitto 2.0.11', user: 'weft-reader' }, lastError: 'ECONNREFUSED' },
      );
    const query =
      'query($id: String!) { resolveIdentifier(id: $id) { ... on Source { key details lastError } } }';

    const anonymous = await gql(query, { id: source.pid });
    expect(anonymous.body.data.resolveIdentifier).toEqual({
      key: 'site-broker',
      details: {},
      lastError: null,
    });
    const researcher = await gql(query, { id: source.pid }, tokens.researcher);
    expect(researcher.body.data.resolveIdentifier).toEqual({
      key: 'site-broker',
      details: { server: 'mosquitto 2.0.11', user: 'weft-reader' },
      lastError: 'ECONNREFUSED',
    });

    const runs = await gql(
      'query($id: String!) { resolveIdentifier(id: $id) { ... on Source { recentRuns { totalCount } } } }',
      { id: source.pid },
    );
    expect(runs.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  afterAll(async () => {
    if (process.env.WEFT_TEST_PRINT_LOGS === '1') {
      for (const line of harness.logs.filter((entry) => entry.level === 'error'))
        console.log(JSON.stringify(line));
    }
    await harness.close();
  });

  it('search finds datasets by word prefix', async () => {
    const response = await gql(
      '{ searchDatasets(input: { text: "kitch clim" }) { totalCount nodes { title place units quantityKinds } } }',
      {},
      tokens.researcher,
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.searchDatasets.totalCount).toBe(1);
    expect(response.body.data.searchDatasets.nodes).toEqual([
      {
        title: 'Kitchen climate sensor',
        place: 'Kitchen',
        units: ['Cel'],
        quantityKinds: ['Temperature'],
      },
    ]);
  });

  it('facets count units and places', async () => {
    const response = await gql(
      '{ searchDatasets { totalCount facets(names: [UNIT, PLACE, LICENCE, SOURCE]) { name values { value count } } } }',
      {},
      tokens.researcher,
    );

    expect(response.body.errors).toBeUndefined();
    const facets = Object.fromEntries(
      response.body.data.searchDatasets.facets.map((facet: { name: string; values: unknown }) => [
        facet.name,
        facet.values,
      ]),
    );
    expect(facets.UNIT).toEqual([
      { value: 'Cel', count: 2 },
      { value: 'W', count: 1 },
    ]);
    expect(facets.PLACE).toEqual([
      { value: 'Building A', count: 1 },
      { value: 'Kitchen', count: 1 },
      { value: 'Office', count: 1 },
    ]);
    expect(facets.LICENCE).toEqual([{ value: 'none', count: 3 }]);
    expect(facets.SOURCE).toEqual([{ value: 'site-broker', count: 3 }]);
  });

  it('unit filter narrows results', async () => {
    const response = await gql(
      '{ searchDatasets(input: { units: ["W"] }) { totalCount nodes { title } } }',
      {},
      tokens.researcher,
    );

    expect(response.body.data.searchDatasets.totalCount).toBe(1);
    expect(response.body.data.searchDatasets.nodes[0].title).toBe('Coffee machine plug power');
  });

  it('cursor pagination visits every dataset once', async () => {
    const titles: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const response = await gql(
        'query($after: String) { searchDatasets(first: 1, after: $after) { nodes { title } pageInfo { endCursor hasNextPage } } }',
        { after },
        tokens.researcher,
      );
      const connection = response.body.data.searchDatasets;
      titles.push(...connection.nodes.map((node: { title: string }) => node.title));
      if (!connection.pageInfo.hasNextPage) {
        break;
      }
      after = connection.pageInfo.endCursor;
    }

    expect(titles).toEqual([
      'Coffee machine plug power',
      'Kitchen climate sensor',
      'Office climate sensor',
    ]);
  });

  it('anonymous viewers see no site-level datasets', async () => {
    const response = await gql('{ searchDatasets { totalCount } }');

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.searchDatasets.totalCount).toBe(0);
  });

  it('invalid token is rejected, not treated as anonymous', async () => {
    const response = await gql(
      '{ searchDatasets { totalCount } }',
      {},
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    );

    expect(response.status).toBe(401);
    expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('fetches a dataset by identifier with properties and distributions', async () => {
    const search = await gql(
      '{ searchDatasets(input: { text: "office" }) { nodes { id } } }',
      {},
      tokens.researcher,
    );
    const id: string = search.body.data.searchDatasets.nodes[0].id;

    const response = await gql(
      'query($id: ID!) { dataset(id: $id) { id title naturalKey landingPage properties { name unit unitSourceText quantityKind minimum maximum } distributions { id accessUrl mediaType } source { key title } } }',
      { id },
      tokens.researcher,
    );

    expect(response.body.errors).toBeUndefined();
    const dataset = response.body.data.dataset;
    expect(dataset.id).toMatch(/^http:\/\/weft\.test\/id\/[0-9bcdfghjkmnpqrstvwxz]{10}$/);
    expect(dataset.landingPage).toBe(dataset.id);
    expect(dataset.naturalKey).toBe('zigbee2mqtt/office_sensor');
    expect(dataset.properties).toEqual([
      {
        name: 'temperature',
        unit: 'Cel',
        unitSourceText: '°C',
        quantityKind: 'Temperature',
        minimum: 19.5,
        maximum: 23.25,
      },
    ]);
    expect(dataset.distributions).toHaveLength(1);
    expect(dataset.distributions[0].accessUrl).toBe(
      'mqtts://broker.test:8883/zigbee2mqtt/office_sensor',
    );
    expect(dataset.distributions[0].id).not.toBe(dataset.id);
    expect(dataset.source).toEqual({ key: 'site-broker', title: 'Site broker' });
  });

  it('mistyped identifier names the check character', async () => {
    const search = await gql(
      '{ searchDatasets(input: { text: "office" }) { nodes { id } } }',
      {},
      tokens.researcher,
    );
    const id: string = search.body.data.searchDatasets.nodes[0].id;
    const last = id.slice(-1);
    const mistyped = id.slice(0, -1) + (last === 'b' ? 'c' : 'b');

    const response = await gql(
      'query($id: ID!) { dataset(id: $id) { id } }',
      { id: mistyped },
      tokens.researcher,
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toContain('check character');
  });

  it('researcher may not assign licences', async () => {
    const search = await gql(
      '{ searchDatasets(input: { text: "kitchen" }) { nodes { id } } }',
      {},
      tokens.researcher,
    );
    const id: string = search.body.data.searchDatasets.nodes[0].id;

    const response = await gql(
      'mutation($input: AssignLicenceInput!) { assignLicence(input: $input) { id } }',
      { input: { datasetId: id, licenceId: 'CC-BY-4.0', reason: 'open data policy' } },
      tokens.researcher,
    );

    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('steward assigns a licence and history records it', async () => {
    const search = await gql(
      '{ searchDatasets(input: { text: "kitchen" }) { nodes { id } } }',
      {},
      tokens.steward,
    );
    const id: string = search.body.data.searchDatasets.nodes[0].id;

    const assigned = await gql(
      'mutation($input: AssignLicenceInput!) { assignLicence(input: $input) { licence { id name } rightsHolder } }',
      {
        input: {
          datasetId: id,
          licenceId: 'CC-BY-4.0',
          rightsHolder: 'Example Lab',
          reason: 'open data policy',
        },
      },
      tokens.steward,
    );
    expect(assigned.body.errors).toBeUndefined();
    expect(assigned.body.data.assignLicence).toEqual({
      licence: { id: 'CC-BY-4.0', name: 'Creative Commons Attribution 4.0 International' },
      rightsHolder: 'Example Lab',
    });

    const history = await gql(
      'query($id: ID!) { dataset(id: $id) { history { changeType changedBy reason changes } } }',
      { id },
      tokens.steward,
    );
    const entries = history.body.data.dataset.history;
    expect(entries[0]).toEqual({
      changeType: 'licence',
      changedBy: loadTestEnv().WEFT_TEST_USER_STEWARD,
      reason: 'open data policy',
      changes: {
        licence: { from: null, to: 'CC-BY-4.0' },
        rightsHolder: { from: null, to: 'Example Lab' },
      },
    });
    expect(entries[entries.length - 1].changeType).toBe('created');
  });

  it('custom licence needs its text', async () => {
    const search = await gql(
      '{ searchDatasets(input: { text: "office" }) { nodes { id } } }',
      {},
      tokens.steward,
    );
    const id: string = search.body.data.searchDatasets.nodes[0].id;

    const response = await gql(
      'mutation($input: AssignLicenceInput!) { assignLicence(input: $input) { id } }',
      {
        input: {
          datasetId: id,
          custom: { id: 'LicenseRef-Lab', name: 'Lab', text: 'short' },
          reason: 'internal',
        },
      },
      tokens.steward,
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'custom licence "LicenseRef-Lab" needs its full text (at least 20 characters)',
    );
  });

  it('user without a role sees only public data', async () => {
    const response = await gql('{ searchDatasets { totalCount } me { roles } }', {}, tokens.norole);

    expect(response.body.data.searchDatasets.totalCount).toBe(0);
    expect(response.body.data.me.roles).toEqual([]);
  });

  it('query deeper than the limit is rejected', async () => {
    // Depth 13: one level above the default limit of 12.
    const deep =
      '{ searchDatasets(first: 1) { nodes { source { recentRuns(first: 1) { nodes { source { recentRuns(first: 1) { nodes { source { recentRuns(first: 1) { nodes { source { id } } } } } } } } } } } } }';

    const response = await gql(deep, {}, tokens.researcher);

    expect(response.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    expect(response.status).toBe(400);
  });

  it('query above the cost limit is rejected', async () => {
    const costly =
      '{ searchDatasets(first: 100) { nodes { properties { name unit } distributions { accessUrl } history(limit: 500) { changeType changes } provenance { id prov } } } }';

    const response = await gql(costly, {}, tokens.researcher);

    expect(response.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(response.status).toBe(400);
  });

  it('many FAIR assessments in one request are too costly', async () => {
    const aliases = Array.from(
      { length: 5 },
      (_, index) => `a${index}: fairAssessment(id: "x") { score }`,
    ).join(' ');

    const response = await gql(`{ ${aliases} }`, {}, tokens.researcher);

    expect(response.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
  });

  it('page size above 100 is rejected', async () => {
    const response = await gql(
      '{ searchDatasets(first: 1000) { totalCount } }',
      {},
      tokens.researcher,
    );

    expect(response.body.errors[0].message).toBe(
      'first=1000 is out of range: ask for 0 to 100 datasets per page and follow pageInfo.endCursor',
    );
  });

  it('withdrawn dataset resolves to a tombstone', async () => {
    const search = await gql(
      '{ searchDatasets(input: { text: "coffee" }) { nodes { id } } }',
      {},
      tokens.steward,
    );
    const id: string = search.body.data.searchDatasets.nodes[0].id;

    const withdrawn = await gql(
      'mutation($input: WithdrawDatasetInput!) { withdrawDataset(input: $input) { status } }',
      { input: { datasetId: id, reason: 'plug removed' } },
      tokens.steward,
    );
    expect(withdrawn.body.data.withdrawDataset.status).toBe('withdrawn');

    const resolved = await gql(
      'query($id: String!) { resolveIdentifier(id: $id) { __typename ... on Tombstone { entityType tombstone } } }',
      { id },
      tokens.steward,
    );
    expect(resolved.body.data.resolveIdentifier).toEqual({
      __typename: 'Tombstone',
      entityType: 'dataset',
      tombstone: {
        type: 'dcat:Dataset',
        title: 'Coffee machine plug power',
        reason: 'plug removed',
      },
    });

    const after = await gql(
      '{ searchDatasets(input: { text: "coffee" }) { totalCount } }',
      {},
      tokens.steward,
    );
    expect(after.body.data.searchDatasets.totalCount).toBe(0);
  });

  it('errors carry codes and no stack traces', async () => {
    const parse = await gql('{ searchDatasets(', {}, tokens.researcher);
    const coercion = await request(harness.app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Bearer ${tokens.researcher}`)
      .send({
        query: 'query($f: Int) { searchDatasets(first: $f) { totalCount } }',
        variables: { f: 'abc' },
      });

    expect(parse.status).toBe(400);
    expect(parse.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(parse.body.errors[0].extensions.stacktrace).toBeUndefined();
    expect(coercion.status).toBe(400);
    expect(coercion.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(coercion.body)).not.toContain('node_modules');
  });

  it('NUL in a list filter is a user error', async () => {
    const response = await gql(
      'query($input: DatasetSearchInput) { searchDatasets(input: $input) { totalCount } }',
      { input: { units: ['a\u0000b'] } },
      tokens.researcher,
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      '$input.units[0] contains a NUL character (U+0000): remove it',
    );
  });

  it('impossible coverage date is a user error', async () => {
    const response = await gql(
      'query($input: DatasetSearchInput) { searchDatasets(input: $input) { totalCount } }',
      { input: { coverageFrom: '275760-09-13T00:00:00Z' } },
      tokens.researcher,
    );

    expect(response.body.errors[0].extensions.code).toMatch(
      /^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/,
    );
    expect(response.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('SQL-looking search text is only text', async () => {
    const response = await gql(
      `{ searchDatasets(input: { text: "'); DROP TABLE dataset; --", places: ["' OR 1=1 --"] }) { totalCount } }`,
      {},
      tokens.researcher,
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.searchDatasets.totalCount).toBe(0);
    const again = await gql('{ searchDatasets { totalCount } }', {}, tokens.researcher);
    expect(again.body.data.searchDatasets.totalCount).toBeGreaterThan(0);
  });
});
