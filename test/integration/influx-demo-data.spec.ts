import { randomUUID } from 'node:crypto';

import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import type { InfluxqlAuth } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import { writeDemoData } from '../../scripts/influx-demo-data';
import { loadTestEnv } from '../env/load-env';

// Writes the demo data into two throwaway databases on the real InfluxDB 1.6
// of scripts/test-env/up.sh and checks the counts, the time span and that
// both databases hold the same points.

const env = loadTestEnv();
const signal = new AbortController().signal;
const suffix = randomUUID().slice(0, 8);
const databases = [`weft_demo_a_${suffix}`, `weft_demo_b_${suffix}`];
const auth: InfluxqlAuth = {
  kind: 'basic',
  username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
  password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
};
const admin = new InfluxqlClient({ url: env.WEFT_TEST_INFLUX_URL, auth });
const options = { days: 0.25, startTime: new Date('2026-01-05T00:00:00Z') };

async function rows(database: string, statement: string): Promise<unknown[][]> {
  const { results } = await admin.query(statement, { database, signal });
  expect(results[0].error).toBeUndefined();
  return results[0].series.flatMap((series) => series.values);
}

afterAll(async () => {
  for (const database of databases) {
    await admin.query(`DROP DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
  }
});

describe('writeDemoData', () => {
  it('writes six hours of each measurement', async () => {
    const summary = await writeDemoData(env.WEFT_TEST_INFLUX_URL, databases[0], auth, options);

    expect(summary).toEqual({
      database: databases[0],
      points: { bioreactor: 720, mqtt_consumer: 1080, shelly_plug: 2160, cpu: 2160, mem: 2160 },
      firstTimestamp: '2026-01-05T00:00:00Z',
      lastTimestamp: '2026-01-05T05:59:50Z',
    });
    expect(await rows(databases[0], 'SELECT COUNT("temperature_c") FROM "bioreactor"')).toEqual([
      ['1970-01-01T00:00:00Z', 720],
    ]);
    expect(await rows(databases[0], 'SELECT COUNT("power_w") FROM "shelly_plug"')).toEqual([
      ['1970-01-01T00:00:00Z', 2160],
    ]);
    expect(
      await rows(databases[0], 'SHOW TAG VALUES FROM "mqtt_consumer" WITH KEY = "topic"'),
    ).toEqual([
      ['topic', 'zigbee2mqtt/bedroom'],
      ['topic', 'zigbee2mqtt/kitchen'],
      ['topic', 'zigbee2mqtt/living_room'],
    ]);
  });

  it('writes plausible values', async () => {
    const [[, minimumPh, maximumPh]] = await rows(
      databases[0],
      'SELECT MIN("ph"), MAX("ph") FROM "bioreactor"',
    );
    const [[, minimumPower, maximumPower]] = await rows(
      databases[0],
      'SELECT MIN("power_w"), MAX("power_w") FROM "shelly_plug"',
    );
    const [[, minimumIdle, maximumIdle]] = await rows(
      databases[0],
      'SELECT MIN("usage_idle"), MAX("usage_idle") FROM "cpu"',
    );

    expect(minimumPh).toBeGreaterThan(6.8);
    expect(maximumPh).toBeLessThan(7.1);
    expect(minimumPower).toBeGreaterThan(1);
    expect(maximumPower).toBeLessThan(90);
    expect(minimumIdle).toBeGreaterThan(80);
    expect(maximumIdle).toBeLessThan(93);
  });

  it('writes the same points every time', async () => {
    await writeDemoData(env.WEFT_TEST_INFLUX_URL, databases[1], auth, options);

    for (const measurement of ['bioreactor', 'mqtt_consumer', 'shelly_plug', 'cpu', 'mem']) {
      const statement = `SELECT * FROM ${quoteIdentifier(measurement)}`;
      expect(await rows(databases[1], statement)).toEqual(await rows(databases[0], statement));
    }
  });
});
