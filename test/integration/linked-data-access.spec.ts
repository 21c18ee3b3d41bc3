import request from 'supertest';
import type { App } from 'supertest/types';

import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { LicencesService } from '../../src/licences/licences.service';
import { fetchToken } from '../env/keycloak-token';
import { loadTestEnv } from '../env/load-env';
import type { TestEnv } from '../env/load-env';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import {
  harvestFixture,
  localIdOf,
  STEWARD,
  TEMPERATURE,
  topicDataset,
} from './linked-data.fixtures';

// Access rules of the linked-data endpoints, with access tokens from the real
// Keycloak test server that scripts/test-env/up.sh starts.

let env: TestEnv;
let testApp: TestApp;
let server: App;
let tokens: { researcher: string; steward: string; norole: string };
let ids: {
  open: string;
  site: string;
  restricted: string;
  siteDistribution: string;
  withdrawnSite: string;
};

beforeAll(async () => {
  env = loadTestEnv();
  testApp = await startTestApp({
    WEFT_DEFAULT_ACCESS_LEVEL: 'public',
    WEFT_OIDC_ISSUER: env.WEFT_TEST_KEYCLOAK_ISSUER,
    WEFT_OIDC_AUDIENCE: env.WEFT_TEST_KEYCLOAK_AUDIENCE,
  });
  const app = testApp.app;
  server = app.getHttpServer();

  const seeded = await harvestFixture(
    app,
    'site-broker',
    [
      topicDataset('zigbee2mqtt/hall', 'Hall climate', 'Hall', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/lab_freezer', 'Lab freezer', 'Lab', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/server_room', 'Server room', 'Server room', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/old_lab_sensor', 'Old lab sensor', 'Lab', [TEMPERATURE]),
    ],
    { startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:05.000Z' },
  );
  const [open, site, restricted, withdrawnSite] = seeded.changes.created as [
    string,
    string,
    string,
    string,
  ];
  const licences = app.get(LicencesService);
  await licences.setAccessLevel(site, 'site', 'lab data stays on site', STEWARD);
  await licences.setAccessLevel(restricted, 'restricted', 'infrastructure details', STEWARD);
  await licences.setAccessLevel(withdrawnSite, 'site', 'lab data stays on site', STEWARD);
  await app.get(CatalogWriterService).withdrawByPid(withdrawnSite, 'sensor retired', STEWARD);

  const siteDocument = await request(server)
    .get(`/id/${localIdOf(site)}`)
    .set('Accept', 'application/ld+json')
    .set('Authorization', `Bearer ${await fetchToken(env, 'steward')}`);
  const siteDistribution = (siteDocument.body['dcat:distribution'] as Array<{ '@id': string }>)[0][
    '@id'
  ];

  ids = {
    open: localIdOf(open),
    site: localIdOf(site),
    restricted: localIdOf(restricted),
    siteDistribution: localIdOf(siteDistribution),
    withdrawnSite: localIdOf(withdrawnSite),
  };
  tokens = {
    researcher: await fetchToken(env, 'researcher'),
    steward: await fetchToken(env, 'steward'),
    norole: await fetchToken(env, 'norole'),
  };
});

afterAll(async () => {
  await testApp?.close();
});

function get(path: string, token?: string): request.Test {
  const test = request(server).get(path).set('Accept', 'application/ld+json');
  return token === undefined ? test : test.set('Authorization', `Bearer ${token}`);
}

describe('site-level dataset', () => {
  it('answers 401 with a Bearer challenge to anonymous callers', async () => {
    const response = await get(`/id/${ids.site}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="weft"');
    expect(JSON.parse(response.text).detail).toBe(
      `dataset http://weft.test/id/${ids.site} is not public: send "Authorization: Bearer <access token>" for an account with the researcher, steward or admin role`,
    );
  });

  it('serves a researcher', async () => {
    const response = await get(`/id/${ids.site}`, tokens.researcher);

    expect(response.status).toBe(200);
    expect(response.body['dct:title']).toBe('Lab freezer');
    expect(response.headers['cache-control']).toBe('private, no-cache');
  });

  it('answers 403 to a signed-in account without a role', async () => {
    const response = await get(`/id/${ids.site}`, tokens.norole);

    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(JSON.parse(response.text).detail).toBe(
      `dataset http://weft.test/id/${ids.site} has access level "site": it needs the researcher, steward or admin role, which this account lacks`,
    );
  });

  it('guards its distributions the same way', async () => {
    const anonymous = await get(`/id/${ids.siteDistribution}`);
    const researcher = await get(`/id/${ids.siteDistribution}`, tokens.researcher);

    expect(anonymous.status).toBe(401);
    expect(researcher.status).toBe(200);
  });

  it('guards the tombstone of a withdrawn one', async () => {
    const anonymous = await get(`/id/${ids.withdrawnSite}`);
    const researcher = await get(`/id/${ids.withdrawnSite}`, tokens.researcher);

    expect(anonymous.status).toBe(401);
    expect(researcher.status).toBe(410);
  });
});

describe('restricted dataset', () => {
  it('answers 403 to a researcher', async () => {
    const response = await get(`/id/${ids.restricted}`, tokens.researcher);

    expect(response.status).toBe(403);
  });

  it('serves a steward', async () => {
    const response = await get(`/id/${ids.restricted}`, tokens.steward);

    expect(response.status).toBe(200);
  });
});

describe('invalid tokens', () => {
  it('answers 401 to a malformed token instead of treating the caller as anonymous', async () => {
    const response = await get(`/id/${ids.open}`, 'not-a-jwt');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="weft", error="invalid_token", error_description="[^"]+"$/,
    );
  });

  it('answers 401 to a token with a forged signature', async () => {
    const [header, payload, signature] = tokens.researcher.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;

    const response = await get(`/id/${ids.open}`, forged);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="weft", error="invalid_token", error_description="access token signature is invalid: it was not issued by the configured identity provider"',
    );
  });

  it('answers 401 on the catalog too', async () => {
    const response = await get('/catalog', 'not-a-jwt');

    expect(response.status).toBe(401);
  });

  it.each(['/oai?verb=Identify', '/sitemap.xml', '/contexts/weft.jsonld', '/products'])(
    'answers 401 on %s too',
    async (path) => {
      const rejected = await get(path, 'not-a-jwt');
      expect(rejected.status).toBe(401);
      expect(rejected.headers['www-authenticate']).toMatch(
        /^Bearer realm="weft", error="invalid_token"/,
      );

      const anonymous = await get(path);
      expect(anonymous.status).toBe(200);
      const signedIn = await get(path, tokens.researcher);
      expect(signedIn.status).toBe(200);
    },
  );
});

describe('catalog by role', () => {
  it.each([
    ['anonymous', undefined, 1],
    ['researcher', 'researcher', 2],
    ['steward', 'steward', 3],
  ] as const)('lists what %s may read', async (_viewer, role, expected) => {
    const response = await get('/catalog', role === undefined ? undefined : tokens[role]);

    expect(response.status).toBe(200);
    expect(response.body['hydra:totalItems']).toBe(expected);
    expect(response.body['dcat:dataset']).toHaveLength(expected);
  });
});
