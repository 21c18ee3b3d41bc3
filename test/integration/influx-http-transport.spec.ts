import { sendHttpRequest } from '../../src/harvest/influx/http-transport';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import { loadTestEnv } from '../env/load-env';

// The fabric requests uncompressed answers from InfluxDB when they are
// small. InfluxDB 1.6 gzips its answer whenever the request accepts gzip,
// which fetch does by default. These tests check both cases on the test server.

const env = loadTestEnv();
const authorization = `Basic ${Buffer.from(
  `${env.WEFT_TEST_INFLUX_ADMIN_USERNAME}:${env.WEFT_TEST_INFLUX_ADMIN_PASSWORD}`,
).toString('base64')}`;

function showDatabases(uncompressed: boolean) {
  const url = new URL('/query', env.WEFT_TEST_INFLUX_URL);
  url.searchParams.set('q', 'SHOW DATABASES');
  return sendHttpRequest({
    url,
    method: 'GET',
    headers: { authorization, accept: 'application/json' },
    signal: new AbortController().signal,
    timeoutMs: 10_000,
    maxBodyBytes: 1024 * 1024,
    uncompressed,
  });
}

describe('InfluxDB HTTP transport', () => {
  it('uncompressed request gets plain JSON', async () => {
    const response = await showDatabases(true);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBeUndefined();
    expect(JSON.parse(response.body.toString('utf8'))).toHaveProperty('results');
  });

  it('default request gets gzip, decoded', async () => {
    const response = await showDatabases(false);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(response.body.toString('utf8'))).toHaveProperty('results');
  });

  it('client query reads uncompressed answers', async () => {
    const client = new InfluxqlClient({
      url: env.WEFT_TEST_INFLUX_URL,
      auth: {
        kind: 'basic',
        username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
        password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
      },
    });

    const { results } = await client.query('SHOW DATABASES', {
      uncompressed: true,
      signal: new AbortController().signal,
    });

    expect(results).toHaveLength(1);
    expect(results[0].error).toBeUndefined();
    expect(results[0].series[0].columns).toEqual(['name']);
  });
});
