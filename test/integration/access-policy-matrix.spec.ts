import request from 'supertest';
import type { Response } from 'supertest';
import type { App } from 'supertest/types';

import { AccessPolicyService } from '../../src/access/access-policy.service';
import type { AccessPolicyChange } from '../../src/access/access-policy';
import type { Viewer } from '../../src/auth/viewer';
import { IdentifiersService } from '../../src/identifiers/identifiers.service';
import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';
import { FIXTURE_START } from '../fixtures/fabric/lab-fixture';
import { startLocalOidcIssuer } from '../support/local-oidc-issuer';
import type { LocalOidcIssuer } from '../support/local-oidc-issuer';

// Every read path of Weft, asked by four viewers about datasets under four
// access policies, with the expected outcome of each cell written below.
//
// The test Keycloak has no user with a project realm role, and a test may
// not change the running server, so the tokens here come from a local
// issuer that signs Keycloak-shaped tokens (realm_access.roles) on
// loopback. Weft verifies them with the same code; only the key source
// differs. access-policy-keycloak.spec.ts covers the real Keycloak tokens.

type Policy = 'public' | 'site' | 'role' | 'embargo';
type ViewerName = 'anonymous' | 'researcher' | 'member' | 'steward';
type Row = [anonymous: string, researcher: string, member: string, steward: string];

const EMBARGO_END = '2999-01-01T00:00:00.000Z';

/** Applied in this order to every lab dataset; the order matters to OAI-PMH's deleted records. */
const POLICIES: Array<[Policy, AccessPolicyChange]> = [
  ['public', { accessLevel: 'public', embargoUntil: null }],
  ['site', { accessLevel: 'site', embargoUntil: null }],
  ['role', { accessLevel: 'restricted', accessRoles: ['project-alpha'], embargoUntil: null }],
  ['embargo', { accessLevel: 'public', embargoUntil: new Date(EMBARGO_END) }],
];

const VIEWERS: ViewerName[] = ['anonymous', 'researcher', 'member', 'steward'];

/** Realm roles of each viewer's token, as Keycloak lists them. */
const REALM_ROLES: Record<Exclude<ViewerName, 'anonymous'>, string[]> = {
  researcher: ['researcher', 'default-roles-weft', 'offline_access'],
  member: ['project-alpha', 'default-roles-weft', 'offline_access'],
  steward: ['steward', 'default-roles-weft', 'offline_access'],
};

type Path =
  | 'graphql search'
  | 'graphql facets'
  | 'graphql dataset'
  | 'graphql resolveIdentifier'
  | 'landing page'
  | 'JSON-LD'
  | 'Turtle'
  | 'DCAT catalog page'
  | 'linkset'
  | 'OAI-PMH GetRecord'
  | 'sitemap'
  | 'observations'
  | 'rows'
  | 'join'
  | 'dataQuery record'
  | 'FAIR assessment';

// Cells: listed/absent (lists), a number (facet count), found/null (GraphQL
// lookups), an HTTP status, record/deleted (OAI-PMH), data or a GraphQL
// error code (data paths), assessed/null (FAIR).
const EXPECTED: Record<Policy, Record<Path, Row>> = {
  public: {
    'graphql search': ['listed', 'listed', 'listed', 'listed'],
    'graphql facets': ['2', '2', '2', '2'],
    'graphql dataset': ['found', 'found', 'found', 'found'],
    'graphql resolveIdentifier': ['found', 'found', 'found', 'found'],
    'landing page': ['200', '200', '200', '200'],
    'JSON-LD': ['200', '200', '200', '200'],
    Turtle: ['200', '200', '200', '200'],
    'DCAT catalog page': ['listed', 'listed', 'listed', 'listed'],
    linkset: ['200', '200', '200', '200'],
    'OAI-PMH GetRecord': ['record', 'record', 'record', 'record'],
    sitemap: ['listed', 'listed', 'listed', 'listed'],
    observations: ['data', 'data', 'data', 'data'],
    rows: ['data', 'data', 'data', 'data'],
    join: ['data', 'data', 'data', 'data'],
    'dataQuery record': ['found', 'found', 'found', 'found'],
    'FAIR assessment': ['assessed', 'assessed', 'assessed', 'assessed'],
  },
  site: {
    'graphql search': ['absent', 'listed', 'absent', 'listed'],
    'graphql facets': ['0', '2', '0', '2'],
    'graphql dataset': ['null', 'found', 'null', 'found'],
    'graphql resolveIdentifier': ['null', 'found', 'null', 'found'],
    'landing page': ['401', '200', '403', '200'],
    'JSON-LD': ['401', '200', '403', '200'],
    Turtle: ['401', '200', '403', '200'],
    'DCAT catalog page': ['absent', 'listed', 'absent', 'listed'],
    linkset: ['401', '200', '403', '200'],
    'OAI-PMH GetRecord': ['deleted', 'deleted', 'deleted', 'deleted'],
    sitemap: ['absent', 'absent', 'absent', 'absent'],
    observations: ['null', 'data', 'null', 'data'],
    rows: ['null', 'data', 'null', 'data'],
    join: ['null', 'data', 'null', 'data'],
    'dataQuery record': ['null', 'found', 'null', 'found'],
    'FAIR assessment': ['null', 'assessed', 'null', 'assessed'],
  },
  role: {
    'graphql search': ['absent', 'absent', 'listed', 'listed'],
    'graphql facets': ['0', '0', '2', '2'],
    'graphql dataset': ['null', 'null', 'found', 'found'],
    'graphql resolveIdentifier': ['null', 'null', 'found', 'found'],
    'landing page': ['401', '403', '200', '200'],
    'JSON-LD': ['401', '403', '200', '200'],
    Turtle: ['401', '403', '200', '200'],
    'DCAT catalog page': ['absent', 'absent', 'listed', 'listed'],
    linkset: ['401', '403', '200', '200'],
    'OAI-PMH GetRecord': ['deleted', 'deleted', 'deleted', 'deleted'],
    sitemap: ['absent', 'absent', 'absent', 'absent'],
    observations: ['null', 'null', 'data', 'data'],
    rows: ['null', 'null', 'data', 'data'],
    join: ['null', 'null', 'data', 'data'],
    'dataQuery record': ['null', 'null', 'found', 'found'],
    'FAIR assessment': ['null', 'null', 'assessed', 'assessed'],
  },
  embargo: {
    'graphql search': ['listed', 'listed', 'listed', 'listed'],
    'graphql facets': ['2', '2', '2', '2'],
    'graphql dataset': ['found', 'found', 'found', 'found'],
    'graphql resolveIdentifier': ['found', 'found', 'found', 'found'],
    'landing page': ['200', '200', '200', '200'],
    'JSON-LD': ['200', '200', '200', '200'],
    Turtle: ['200', '200', '200', '200'],
    'DCAT catalog page': ['listed', 'listed', 'listed', 'listed'],
    linkset: ['200', '200', '200', '200'],
    'OAI-PMH GetRecord': ['record', 'record', 'record', 'record'],
    sitemap: ['listed', 'listed', 'listed', 'listed'],
    observations: ['EMBARGOED', 'EMBARGOED', 'EMBARGOED', 'data'],
    rows: ['EMBARGOED', 'EMBARGOED', 'EMBARGOED', 'data'],
    join: ['EMBARGOED', 'EMBARGOED', 'EMBARGOED', 'data'],
    'dataQuery record': ['null', 'null', 'null', 'found'],
    'FAIR assessment': ['assessed', 'assessed', 'assessed', 'assessed'],
  },
};

const STEWARD: Viewer = {
  subject: 'matrix-steward',
  username: 'matrix-steward',
  roles: ['steward'],
  realmRoles: ['steward'],
};

const OBSERVATIONS = `query($id: ID!, $input: ObservationQueryInput!) {
  dataset(id: $id) { observations(input: $input) { activityId rowCount } }
}`;
const OBSERVATION_INPUT = {
  from: new Date(FIXTURE_START * 1000).toISOString(),
  to: new Date((FIXTURE_START + 3600) * 1000).toISOString(),
  fields: ['temperature_c'],
};
const ROWS = `query($id: ID!) { dataset(id: $id) { rows { rowCount } } }`;
const JOIN = `query($id: ID!, $input: SeriesJoinInput!) {
  dataset(id: $id) { joinSeries(input: $input) { rowCount } }
}`;

let issuer: LocalOidcIssuer;
let harness: FabricHarness;
let server: App;
let tokens: Record<ViewerName, string | null>;
let reactor: { pid: string; localId: string };
let batchPid: string;
let recordId: string;

beforeAll(async () => {
  issuer = await startLocalOidcIssuer();
  harness = await startFabricHarness({
    WEFT_OIDC_ISSUER: issuer.issuer,
    WEFT_OIDC_AUDIENCE: issuer.audience,
    WEFT_OIDC_JWKS_URL: issuer.jwksUrl,
  });
  server = harness.app.app.getHttpServer();
  tokens = {
    anonymous: null,
    researcher: await issuer.token('rita-researcher', REALM_ROLES.researcher),
    member: await issuer.token('mia-member', REALM_ROLES.member),
    steward: await issuer.token('sven-steward', REALM_ROLES.steward),
  };
  const pid = (await harness.dataset('bioreactor')).pid;
  const localId = harness.app.app.get(IdentifiersService).parse(pid);
  if (localId === undefined) {
    throw new Error(`harvested identifier ${pid} does not parse`);
  }
  reactor = { pid, localId };
  batchPid = (await harness.dataset('batch')).pid;
}, 240_000);

afterAll(async () => {
  await harness?.close();
  await issuer?.close();
});

function withToken(call: request.Test, viewer: ViewerName): request.Test {
  const token = tokens[viewer];
  return token === null ? call : call.set('Authorization', `Bearer ${token}`);
}

function gql(query: string, variables: Record<string, unknown>, viewer: ViewerName): request.Test {
  return withToken(request(server).post('/graphql').send({ query, variables }), viewer);
}

/** The outcome of a GraphQL call: the first error code, else null or data by `pick`. */
function graphqlOutcome(
  response: Response,
  pick: (data: Record<string, unknown>) => unknown,
): string {
  const errors = response.body.errors as Array<{ extensions?: { code?: string } }> | undefined;
  if (errors !== undefined && errors.length > 0) {
    return errors[0].extensions?.code ?? 'error';
  }
  const value = pick(response.body.data as Record<string, unknown>);
  return value === null || value === undefined ? 'null' : 'found';
}

function dataOutcome(response: Response, field: string): string {
  const outcome = graphqlOutcome(
    response,
    (data) => (data.dataset as Record<string, unknown> | null)?.[field],
  );
  return outcome === 'found' ? 'data' : outcome;
}

async function outcomeOf(path: Path, viewer: ViewerName): Promise<string> {
  switch (path) {
    case 'graphql search': {
      const response = await gql('{ searchDatasets(first: 100) { nodes { id } } }', {}, viewer);
      const ids = (response.body.data.searchDatasets.nodes as Array<{ id: string }>).map(
        (node) => node.id,
      );
      return ids.includes(reactor.pid) ? 'listed' : 'absent';
    }
    case 'graphql facets': {
      const response = await gql(
        '{ searchDatasets { facets(names: [SOURCE]) { values { value count } } } }',
        {},
        viewer,
      );
      const values = response.body.data.searchDatasets.facets[0].values as Array<{
        value: string;
        count: number;
      }>;
      return String(values.find((value) => value.value === 'lab-influx')?.count ?? 0);
    }
    case 'graphql dataset':
      return graphqlOutcome(
        await gql('query($id: ID!) { dataset(id: $id) { id } }', { id: reactor.pid }, viewer),
        (data) => data.dataset,
      );
    case 'graphql resolveIdentifier':
      return graphqlOutcome(
        await gql(
          'query($id: String!) { resolveIdentifier(id: $id) { __typename } }',
          { id: reactor.pid },
          viewer,
        ),
        (data) => data.resolveIdentifier,
      );
    case 'landing page':
      return String((await linkedData(`/id/${reactor.localId}`, 'text/html', viewer)).status);
    case 'JSON-LD':
      return String(
        (await linkedData(`/id/${reactor.localId}`, 'application/ld+json', viewer)).status,
      );
    case 'Turtle':
      return String((await linkedData(`/id/${reactor.localId}`, 'text/turtle', viewer)).status);
    case 'DCAT catalog page': {
      const response = await linkedData('/catalog', 'application/ld+json', viewer);
      return response.text.includes(reactor.pid) ? 'listed' : 'absent';
    }
    case 'linkset':
      return String(
        (await linkedData(`/id/${reactor.localId}/linkset`, 'application/linkset+json', viewer))
          .status,
      );
    case 'OAI-PMH GetRecord': {
      const response = await withToken(
        request(server).get(
          `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(reactor.pid)}`,
        ),
        viewer,
      );
      if (response.text.includes('idDoesNotExist')) return 'absent';
      return response.text.includes('status="deleted"') ? 'deleted' : 'record';
    }
    case 'sitemap': {
      const response = await withToken(request(server).get('/sitemap.xml'), viewer);
      return response.text.includes(reactor.localId) ? 'listed' : 'absent';
    }
    case 'observations':
      return dataOutcome(
        await gql(OBSERVATIONS, { id: reactor.pid, input: OBSERVATION_INPUT }, viewer),
        'observations',
      );
    case 'rows':
      return dataOutcome(await gql(ROWS, { id: batchPid }, viewer), 'rows');
    case 'join':
      return dataOutcome(
        await gql(
          JOIN,
          {
            id: batchPid,
            input: {
              series: reactor.pid,
              mode: 'TIME_WINDOW',
              startColumn: 'started_at',
              endColumn: 'ended_at',
              keyColumn: 'reactor',
              tag: 'reactor',
              observations: { fields: ['temperature_c'], aggregation: 'MEAN' },
            },
          },
          viewer,
        ),
        'joinSeries',
      );
    case 'dataQuery record':
      return graphqlOutcome(
        await gql('query($id: ID!) { dataQuery(id: $id) { id } }', { id: recordId }, viewer),
        (data) => data.dataQuery,
      );
    case 'FAIR assessment': {
      const outcome = graphqlOutcome(
        await gql(
          'query($id: String!) { fairAssessment(id: $id) { score } }',
          { id: reactor.pid },
          viewer,
        ),
        (data) => data.fairAssessment,
      );
      return outcome === 'found' ? 'assessed' : outcome;
    }
    default: {
      const unknownPath: never = path;
      throw new Error(`no request for path ${String(unknownPath)}`);
    }
  }
}

function linkedData(url: string, accept: string, viewer: ViewerName): request.Test {
  return withToken(request(server).get(url).set('Accept', accept), viewer);
}

describe.each(POLICIES)('%s datasets', (policy, change) => {
  beforeAll(async () => {
    const policies = harness.app.app.get(AccessPolicyService);
    for (const name of ['batch', 'asset', 'bioreactor', 'plug_power']) {
      const dataset = await harness.dataset(name);
      await policies.setPolicy(dataset.pid, change, `access matrix: ${policy}`, STEWARD);
    }
    // A query run by a steward, whose record each viewer then asks for.
    const answer = await gql(
      OBSERVATIONS,
      { id: reactor.pid, input: OBSERVATION_INPUT },
      'steward',
    );
    recordId = answer.body.data.dataset.observations.activityId as string;
  }, 60_000);

  it.each(Object.keys(EXPECTED[policy]) as Path[])(
    '%s',
    async (path) => {
      const row: string[] = [];
      for (const viewer of VIEWERS) {
        row.push(await outcomeOf(path, viewer));
      }
      expect(row).toEqual(EXPECTED[policy][path]);
    },
    60_000,
  );
});

describe('embargo', () => {
  it('names its end and opens by itself', async () => {
    const end = new Date(Date.now() + 4000);
    await harness.app.app
      .get(AccessPolicyService)
      .setPolicy(
        reactor.pid,
        { accessLevel: 'public', embargoUntil: end },
        'short embargo',
        STEWARD,
      );

    const during = await gql(
      OBSERVATIONS,
      { id: reactor.pid, input: OBSERVATION_INPUT },
      'researcher',
    );
    expect(during.body.errors[0].message).toBe(
      `the data of dataset ${reactor.pid} is under embargo until ${end.toISOString()}: query it after that time, or ask a data steward`,
    );
    expect(during.body.errors[0].extensions.code).toBe('EMBARGOED');

    await new Promise((resolve) => setTimeout(resolve, end.getTime() - Date.now() + 100));
    const after = await gql(
      OBSERVATIONS,
      { id: reactor.pid, input: OBSERVATION_INPUT },
      'researcher',
    );
    expect(after.body.errors).toBeUndefined();
    // One row per point of the first hour, counted from the points the fixture wrote.
    const firstHour = harness.fixture.reactorPoints.filter(
      (point) => point.time >= FIXTURE_START && point.time < FIXTURE_START + 3600,
    );
    expect(firstHour).toHaveLength(120);
    expect(after.body.data.dataset.observations.rowCount).toBe(firstHour.length);
  }, 30_000);
});
