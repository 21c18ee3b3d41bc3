import request from 'supertest';

import { AuthService } from '../../src/auth/auth.service';
import { IdentifiersService } from '../../src/identifiers/identifiers.service';
import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';
import { FIXTURE_START } from '../fixtures/fabric/lab-fixture';

// Access policies set and read over GraphQL and linked data with access
// tokens from the real Keycloak test server. Keycloak gives every user of
// realm weft the realm role default-roles-weft, so a dataset restricted to
// that role is readable by nora-norole, who has none of Weft's roles.

const SET_POLICY = `mutation($input: SetAccessLevelInput!) {
  setDatasetAccessLevel(input: $input) {
    id accessLevel accessRoles embargoUntil dataEmbargoed
    history(limit: 1) { changeType changedBy reason changes }
  }
}`;

const LOOKUP = `query($id: ID!) { dataset(id: $id) { id accessLevel accessRoles embargoUntil } }`;

const OBSERVATIONS = `query($id: ID!, $input: ObservationQueryInput!) {
  dataset(id: $id) { observations(input: $input) { rowCount } }
}`;

const EMBARGO_END = '2999-01-01T00:00:00.000Z';

describe('access policy with Keycloak tokens', () => {
  let harness: FabricHarness;
  let plugPid: string;
  let plugLocalId: string;

  beforeAll(async () => {
    harness = await startFabricHarness();
    plugPid = (await harness.dataset('plug_power')).pid;
    plugLocalId = harness.app.app.get(IdentifiersService).parse(plugPid) ?? '';
  }, 240_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('viewer keeps every realm role', async () => {
    const auth = harness.app.app.get(AuthService);
    const nora = await auth.verify(harness.tokens.norole);
    const alice = await auth.verify(harness.tokens.researcher);

    expect(nora.roles).toEqual([]);
    expect([...nora.realmRoles].sort()).toEqual([
      'default-roles-weft',
      'offline_access',
      'uma_authorization',
    ]);
    expect(alice.roles).toEqual(['researcher']);
    expect([...alice.realmRoles].sort()).toEqual([
      'default-roles-weft',
      'offline_access',
      'researcher',
      'uma_authorization',
    ]);
  });

  it('steward sets roles and embargo with history', async () => {
    const response = await harness.gql(
      SET_POLICY,
      {
        input: {
          datasetId: plugPid,
          accessLevel: 'RESTRICTED',
          accessRoles: ['default-roles-weft'],
          embargoUntil: EMBARGO_END,
          reason: 'plug data waits for the energy report',
        },
      },
      'steward',
    );
    const dataset = response.body.data.setDatasetAccessLevel;

    expect(response.body.errors).toBeUndefined();
    expect(dataset.accessLevel).toBe('RESTRICTED');
    expect(dataset.accessRoles).toEqual(['default-roles-weft']);
    expect(dataset.embargoUntil).toBe(EMBARGO_END);
    expect(dataset.dataEmbargoed).toBe(true);
    expect(dataset.history).toEqual([
      {
        changeType: 'access',
        changedBy: harness.env.WEFT_TEST_USER_STEWARD,
        reason: 'plug data waits for the energy report',
        changes: {
          accessLevel: { from: 'site', to: 'restricted' },
          accessRoles: { from: [], to: ['default-roles-weft'] },
          embargoUntil: { from: null, to: EMBARGO_END },
        },
      },
    ]);
  });

  it('realm role holder reads the metadata', async () => {
    const member = await harness.gql(LOOKUP, { id: plugPid }, 'norole');
    const anonymous = await harness.gql(LOOKUP, { id: plugPid });

    expect(member.body.data.dataset).toEqual({
      id: plugPid,
      accessLevel: 'RESTRICTED',
      accessRoles: ['default-roles-weft'],
      embargoUntil: EMBARGO_END,
    });
    expect(anonymous.body.data.dataset).toBeNull();
  });

  it('embargo refuses the data with its date', async () => {
    const response = await harness.gql(
      OBSERVATIONS,
      {
        id: plugPid,
        input: {
          from: new Date(FIXTURE_START * 1000).toISOString(),
          to: new Date((FIXTURE_START + 3600) * 1000).toISOString(),
          fields: ['power_w'],
        },
      },
      'norole',
    );

    expect(response.body.errors[0].extensions.code).toBe('EMBARGOED');
    expect(response.body.errors[0].message).toBe(
      `the data of dataset ${plugPid} is under embargo until ${EMBARGO_END}: query it after that time, or ask a data steward`,
    );
  });

  it('JSON-LD states roles and embargo', async () => {
    const response = await request(harness.app.app.getHttpServer())
      .get(`/id/${plugLocalId}`)
      .set('Accept', 'application/ld+json')
      .set('Authorization', `Bearer ${harness.tokens.norole}`);

    expect(response.status).toBe(200);
    expect(response.body['dct:accessRights']).toEqual({
      '@id': 'http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC',
      '@type': 'dct:RightsStatement',
      'rdfs:label': 'non-public',
    });
    expect(response.body['weft:accessLevel']).toBe('restricted');
    expect(response.body['weft:accessRole']).toEqual(['default-roles-weft']);
    expect(response.body['weft:embargoUntil']).toBe(EMBARGO_END);
  });

  it('Turtle types the embargo end', async () => {
    const response = await request(harness.app.app.getHttpServer())
      .get(`/id/${plugLocalId}`)
      .set('Accept', 'text/turtle')
      .set('Authorization', `Bearer ${harness.tokens.norole}`);

    expect(response.status).toBe(200);
    expect(response.text).toContain(`weft:accessRole "default-roles-weft"`);
    expect(response.text).toContain(`weft:embargoUntil "${EMBARGO_END}"^^xsd:dateTime`);
  });

  it('DCAT catalog page states roles and embargo', async () => {
    const response = await request(harness.app.app.getHttpServer())
      .get('/catalog')
      .set('Accept', 'application/ld+json')
      .set('Authorization', `Bearer ${harness.tokens.norole}`);
    const nodes = JSON.stringify(response.body);

    expect(response.status).toBe(200);
    expect(nodes).toContain('"weft:accessRole":["default-roles-weft"]');
    expect(nodes).toContain(`"weft:embargoUntil":"${EMBARGO_END}"`);
  });

  it('landing page states the policy', async () => {
    const response = await request(harness.app.app.getHttpServer())
      .get(`/id/${plugLocalId}`)
      .set('Accept', 'text/html')
      .set('Authorization', `Bearer ${harness.tokens.norole}`);

    expect(response.status).toBe(200);
    expect(response.text).toContain(
      'restricted: stewards, admins and holders of the realm role default-roles-weft may read it; its data is under embargo until 2999-01-01T00:00:00.000Z',
    );
    expect(response.text).toContain(
      '"conditionsOfAccess": "Stewards and administrators of the site, and holders of the realm role default-roles-weft. Data under embargo until 2999-01-01T00:00:00.000Z."',
    );
  });

  it('anonymous landing page names the roles', async () => {
    const response = await request(harness.app.app.getHttpServer())
      .get(`/id/${plugLocalId}`)
      .set('Accept', 'text/html');

    expect(response.status).toBe(401);
    expect(response.text).toContain(
      'the steward or admin role, or one of the realm roles default-roles-weft',
    );
  });

  it('researcher may not change policies', async () => {
    const response = await harness.gql(
      SET_POLICY,
      { input: { datasetId: plugPid, accessLevel: 'PUBLIC', reason: 'open it' } },
      'researcher',
    );

    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(response.body.errors[0].message).toBe(
      'only data stewards may change access policies: sign in with an account that has the steward role',
    );
  });

  it('rejects roles on a public dataset', async () => {
    const response = await harness.gql(
      SET_POLICY,
      {
        input: {
          datasetId: plugPid,
          accessLevel: 'PUBLIC',
          accessRoles: ['project-alpha'],
          reason: 'open it',
        },
      },
      'steward',
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'accessRoles [project-alpha] apply only to RESTRICTED datasets, but accessLevel is PUBLIC: set accessLevel to RESTRICTED, or send accessRoles: []',
    );
  });

  it('rejects an embargo in the past', async () => {
    const response = await harness.gql(
      SET_POLICY,
      {
        input: {
          datasetId: plugPid,
          accessLevel: 'RESTRICTED',
          embargoUntil: '2020-01-01T00:00:00Z',
          reason: 'typo',
        },
      },
      'steward',
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'embargoUntil 2020-01-01T00:00:00.000Z is not in the future: give a later time, or send embargoUntil: null to lift the embargo',
    );
  });

  it('null lifts the embargo and keeps roles', async () => {
    const response = await harness.gql(
      SET_POLICY,
      {
        input: {
          datasetId: plugPid,
          accessLevel: 'RESTRICTED',
          embargoUntil: null,
          reason: 'energy report published',
        },
      },
      'steward',
    );
    const dataset = response.body.data.setDatasetAccessLevel;

    expect(response.body.errors).toBeUndefined();
    expect(dataset.accessRoles).toEqual(['default-roles-weft']);
    expect(dataset.embargoUntil).toBeNull();
    expect(dataset.dataEmbargoed).toBe(false);
    expect(dataset.history[0].changes).toEqual({
      embargoUntil: { from: EMBARGO_END, to: null },
    });
  });
});
