import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { connectAsync } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { Client } from 'pg';

import { fetchToken } from '../env/keycloak-token';
import type { TestUserRole } from '../env/keycloak-token';
import { loadTestEnv } from '../env/load-env';
import type { TestEnv } from '../env/load-env';

// Checks that each server of scripts/test-env/up.sh accepts the generated
// credentials and rejects anonymous or wrong ones. All peers are real servers.

const env: TestEnv = loadTestEnv();

const WEFT_REALM_ROLES = ['researcher', 'steward', 'admin'] as const;

async function queryPostgres(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    return result.rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

function hasCode(error: unknown): error is { code: unknown } {
  return typeof error === 'object' && error !== null && 'code' in error;
}

/** Returns the SQLSTATE code of the error that the promise rejects with. */
async function sqlStateOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (hasCode(error) && typeof error.code === 'string') {
      return error.code;
    }
    throw error;
  }
  throw new Error('expected the PostgreSQL call to fail, but it succeeded');
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/** Options that make mqtt.js report a failed connection at once instead of retrying. */
function mqttOptions(options: IClientOptions): IClientOptions {
  return {
    connectTimeout: 5000,
    reconnectPeriod: 0,
    clientId: `weft-test-env-${randomUUID()}`,
    ...options,
  };
}

/** Returns the CONNACK or TLS error code with which a connection attempt fails. */
async function mqttConnectErrorCode(
  url: string,
  options: IClientOptions,
): Promise<number | string> {
  let client: MqttClient | undefined;
  try {
    client = await connectAsync(url, mqttOptions(options), false);
  } catch (error) {
    // Errors from Node.js itself (TLS, sockets) come from another realm than
    // Jest's sandbox, so `instanceof Error` would be false for them.
    if (hasCode(error) && (typeof error.code === 'number' || typeof error.code === 'string')) {
      return error.code;
    }
    throw error;
  } finally {
    await client?.endAsync();
  }
  throw new Error(`expected the connection to ${url} to be rejected, but it succeeded`);
}

function influxAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function influxQuery(statement: string, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (authorization !== undefined) {
    headers.Authorization = authorization;
  }
  return fetch(`${env.WEFT_TEST_INFLUX_URL}/query`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ q: statement }),
  });
}

interface AccessTokenClaims {
  readonly iss: string;
  readonly azp: string;
  readonly aud: string | string[];
  readonly realm_access?: { readonly roles: string[] };
}

/** Decodes a JWT's payload without checking its signature: the test only reads the claims Keycloak put there. */
function decodeClaims(token: string): AccessTokenClaims {
  const payload = token.split('.')[1];
  if (payload === undefined) {
    throw new Error('the access token is not a JWT');
  }
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
}

describe('PostgreSQL test server', () => {
  it('accepts role weft on database weft', async () => {
    const rows = await queryPostgres(
      env.WEFT_TEST_PG_URL,
      'SELECT current_user AS role, current_database() AS db',
    );

    expect(rows).toEqual([{ role: 'weft', db: 'weft' }]);
  });

  it('makes weft the owner of database weft', async () => {
    const rows = await queryPostgres(
      env.WEFT_TEST_PG_URL,
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'weft'",
    );

    expect(rows).toEqual([{ owner: 'weft' }]);
  });

  it('gives the admin URL a superuser', async () => {
    const rows = await queryPostgres(
      env.WEFT_TEST_PG_ADMIN_URL,
      'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
    );

    expect(rows).toEqual([{ rolsuper: true }]);
  });

  it('rejects a wrong password', async () => {
    const code = await sqlStateOf(
      queryPostgres(withPassword(env.WEFT_TEST_PG_URL, 'wrong-password'), 'SELECT 1'),
    );

    // 28P01: invalid_password.
    expect(code).toBe('28P01');
  });

  it('lets weft_reader read weft_fabric tables that weft creates', async () => {
    const table = `smoke_${randomUUID().replaceAll('-', '')}`;
    const weftOnFabric = withDatabase(env.WEFT_TEST_PG_URL, 'weft_fabric');
    await queryPostgres(
      weftOnFabric,
      `CREATE TABLE ${table} (id integer); INSERT INTO ${table} VALUES (7)`,
    );

    try {
      const rows = await queryPostgres(
        env.WEFT_TEST_FABRIC_PG_URL,
        `SELECT current_user AS role, id FROM ${table}`,
      );

      expect(rows).toEqual([{ role: 'weft_reader', id: 7 }]);
    } finally {
      await queryPostgres(weftOnFabric, `DROP TABLE ${table}`);
    }
  });

  it('keeps weft_reader read-only on weft_fabric', async () => {
    const code = await sqlStateOf(
      queryPostgres(env.WEFT_TEST_FABRIC_PG_URL, 'CREATE TABLE reader_may_not (id integer)'),
    );

    // 25006: read_only_sql_transaction.
    expect(code).toBe('25006');
  });

  it('keeps weft_reader out of database weft', async () => {
    const code = await sqlStateOf(
      queryPostgres(withDatabase(env.WEFT_TEST_FABRIC_PG_URL, 'weft'), 'SELECT 1'),
    );

    // 42501: insufficient_privilege (no CONNECT on database weft).
    expect(code).toBe('42501');
  });
});

describe('Mosquitto test broker', () => {
  const ca = readFileSync(env.WEFT_TEST_MQTT_CA_FILE);

  it.each([
    ['plain', env.WEFT_TEST_MQTT_URL, {}],
    ['TLS', env.WEFT_TEST_MQTTS_URL, { ca }],
  ] as const)(
    'accepts the publisher account on the %s listener',
    async (_listener, url, tlsOptions) => {
      const client = await connectAsync(
        url,
        mqttOptions({
          ...tlsOptions,
          username: env.WEFT_TEST_MQTT_USERNAME,
          password: env.WEFT_TEST_MQTT_PASSWORD,
        }),
        false,
      );

      expect(client.connected).toBe(true);
      await client.endAsync();
    },
  );

  it.each([
    ['plain', env.WEFT_TEST_MQTT_URL, {}],
    ['TLS', env.WEFT_TEST_MQTTS_URL, { ca }],
  ] as const)(
    'rejects anonymous clients on the %s listener',
    async (_listener, url, tlsOptions) => {
      const code = await mqttConnectErrorCode(url, { ...tlsOptions });

      // MQTT 3.1.1 section 3.2.2.3, CONNACK return code 5: not authorized.
      expect(code).toBe(5);
    },
  );

  it('rejects a wrong password', async () => {
    const code = await mqttConnectErrorCode(env.WEFT_TEST_MQTT_URL, {
      username: env.WEFT_TEST_MQTT_USERNAME,
      password: 'wrong-password',
    });

    // MQTT 3.1.1 section 3.2.2.3, CONNACK return code 5: not authorized.
    expect(code).toBe(5);
  });

  it('rejects a client that does not trust the test CA', async () => {
    const code = await mqttConnectErrorCode(env.WEFT_TEST_MQTTS_URL, {
      username: env.WEFT_TEST_MQTT_USERNAME,
      password: env.WEFT_TEST_MQTT_PASSWORD,
    });

    // The broker sends the test CA along with its certificate, and Node.js rejects
    // the chain because that self-signed CA is not among the trusted ones.
    expect(code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('delivers a retained message from the publisher to the reader', async () => {
    const topic = `weft/test-env/${randomUUID()}`;
    const publisher = await connectAsync(
      env.WEFT_TEST_MQTT_URL,
      mqttOptions({ username: env.WEFT_TEST_MQTT_USERNAME, password: env.WEFT_TEST_MQTT_PASSWORD }),
      false,
    );
    const reader = await connectAsync(
      env.WEFT_TEST_MQTT_URL,
      mqttOptions({
        username: env.WEFT_TEST_MQTT_READER_USERNAME,
        password: env.WEFT_TEST_MQTT_READER_PASSWORD,
      }),
      false,
    );

    try {
      await publisher.publishAsync(topic, 'retained-payload', { qos: 1, retain: true });
      const received = new Promise<string>((resolve) => {
        reader.on('message', (messageTopic, payload) => {
          if (messageTopic === topic) {
            resolve(payload.toString('utf8'));
          }
        });
      });
      await reader.subscribeAsync(topic, { qos: 1 });

      await expect(received).resolves.toBe('retained-payload');
    } finally {
      await publisher.publishAsync(topic, '', { qos: 1, retain: true });
      await publisher.endAsync();
      await reader.endAsync();
    }
  });

  it('refuses publishing by the reader', async () => {
    const reader = await connectAsync(
      env.WEFT_TEST_MQTT_URL,
      mqttOptions({
        protocolVersion: 5,
        username: env.WEFT_TEST_MQTT_READER_USERNAME,
        password: env.WEFT_TEST_MQTT_READER_PASSWORD,
      }),
      false,
    );

    try {
      const publish = reader.publishAsync(`weft/test-env/${randomUUID()}`, 'not allowed', {
        qos: 1,
      });

      // MQTT 5.0 section 3.4.2.1, PUBACK reason code 0x87 (135): not authorized.
      await expect(publish).rejects.toMatchObject({ code: 135 });
    } finally {
      await reader.endAsync();
    }
  });
});

describe('InfluxDB test server', () => {
  const readerAuthorization = influxAuthorization(
    env.WEFT_TEST_INFLUX_USERNAME,
    env.WEFT_TEST_INFLUX_PASSWORD,
  );
  const adminAuthorization = influxAuthorization(
    env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  );

  it('responds to /ping', async () => {
    const response = await fetch(`${env.WEFT_TEST_INFLUX_URL}/ping`);

    expect(response.status).toBe(204);
  });

  it('rejects a query without credentials', async () => {
    const response = await influxQuery('SHOW DATABASES');

    expect(response.status).toBe(401);
  });

  it('rejects a wrong password', async () => {
    const response = await influxQuery(
      'SHOW DATABASES',
      influxAuthorization(env.WEFT_TEST_INFLUX_USERNAME, 'wrong-password'),
    );

    expect(response.status).toBe(401);
  });

  it('lets the reader list database weft', async () => {
    const response = await influxQuery('SHOW DATABASES', readerAuthorization);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      results: [
        { statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['weft']] }] },
      ],
    });
  });

  it('refuses writes by the reader', async () => {
    const response = await fetch(`${env.WEFT_TEST_INFLUX_URL}/write?db=weft`, {
      method: 'POST',
      headers: { Authorization: readerAuthorization },
      body: 'smoke,site=test value=1',
    });

    expect(response.status).toBe(403);
  });

  it('lists the admin and the reader as users', async () => {
    const response = await influxQuery('SHOW USERS', adminAuthorization);

    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: { series: { values: [string, boolean][] }[] }[];
    };
    const users = body.results[0]?.series[0]?.values ?? [];
    expect([...users].sort()).toEqual([
      [env.WEFT_TEST_INFLUX_ADMIN_USERNAME, true],
      [env.WEFT_TEST_INFLUX_USERNAME, false],
    ]);
  });
});

describe('Keycloak test server', () => {
  it('publishes realm weft with the expected issuer', async () => {
    const response = await fetch(
      `${env.WEFT_TEST_KEYCLOAK_ISSUER}/.well-known/openid-configuration`,
    );

    expect(response.status).toBe(200);
    const discovery = (await response.json()) as { issuer: string };
    expect(discovery.issuer).toBe(env.WEFT_TEST_KEYCLOAK_ISSUER);
  });

  it.each([
    ['researcher', ['researcher']],
    ['steward', ['steward']],
    ['admin', ['admin']],
    ['norole', []],
  ] as const satisfies readonly (readonly [TestUserRole, readonly string[]])[])(
    '%s token carries its realm role and audience',
    async (role, expectedRoles) => {
      const claims = decodeClaims(await fetchToken(env, role));

      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      const weftRoles = (claims.realm_access?.roles ?? []).filter((realmRole) =>
        (WEFT_REALM_ROLES as readonly string[]).includes(realmRole),
      );
      expect(claims.iss).toBe(env.WEFT_TEST_KEYCLOAK_ISSUER);
      expect(claims.azp).toBe(env.WEFT_TEST_KEYCLOAK_CLIENT_ID);
      expect(audiences).toContain(env.WEFT_TEST_KEYCLOAK_AUDIENCE);
      expect(weftRoles).toEqual(expectedRoles);
    },
  );

  it('rejects a wrong password', async () => {
    const wrongPassword: TestEnv = { ...env, WEFT_TEST_USER_RESEARCHER_PASSWORD: 'wrong-password' };

    await expect(fetchToken(wrongPassword, 'researcher')).rejects.toThrow('HTTP 401 invalid_grant');
  });

  it('rejects the admin API without a token', async () => {
    const response = await fetch(`${env.WEFT_TEST_KEYCLOAK_URL}/admin/realms/weft/users`);

    expect(response.status).toBe(401);
  });
});
