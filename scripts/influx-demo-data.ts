/**
 * Writes deterministic demo measurements in the formats real sites produce
 * into an InfluxDB 1.x database through the v1 `/write` endpoint:
 *
 * - `bioreactor`: a laboratory bioreactor logger, one point a minute per reactor;
 * - `mqtt_consumer`: Zigbee2MQTT room sensors as Telegraf's mqtt_consumer
 *   input with the JSON parser stores them (tag `topic`, numbers as floats);
 * - `shelly_plug`: a Shelly plug's power, voltage, current and energy every 10 s;
 * - `cpu` and `mem`: Telegraf host metrics every 10 s.
 *
 * The same options always write the same points: values come from a seeded
 * generator and timestamps from `startTime`.
 *
 * Command line (the password is read from WEFT_INFLUX_PASSWORD, never from argv):
 *   node dist/scripts/influx-demo-data.js --url http://127.0.0.1:8086 --db demo \
 *     [--username admin] [--days 3] [--start 2026-01-05T00:00:00Z]
 */
import { InfluxqlClient } from '../src/harvest/influx/influxql-client';
import type { InfluxqlAuth } from '../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../src/harvest/influx/influxql-quote';

export interface DemoDataOptions {
  /** Length of the written history in days (fractions allowed). */
  days: number;
  /** Timestamp of the first point. */
  startTime: Date;
  /** Create the database first (needs an admin user on InfluxDB 1.x); default true. */
  createDatabase?: boolean;
  signal?: AbortSignal;
}

export interface DemoDataSummary {
  database: string;
  /** Points written per measurement. */
  points: Record<string, number>;
  /** RFC 3339 timestamps of the first and last point over all measurements. */
  firstTimestamp: string;
  lastTimestamp: string;
}

/** A generator writes one measurement's lines for [start, end). */
interface MeasurementGenerator {
  measurement: string;
  intervalSeconds: number;
  lines(timeSeconds: number, random: () => number): string[];
}

const ROOMS = ['kitchen', 'living_room', 'bedroom'];
const REACTORS = [
  { id: 'BR-01', setpoint: 37.0, rpm: 120 },
  { id: 'BR-02', setpoint: 30.0, rpm: 90 },
];
const LINES_PER_WRITE = 5000;
const MEMORY_TOTAL_BYTES = 8 * 1024 * 1024 * 1024;

/** Write the demo measurements; returns what was written so callers can check it. */
export async function writeDemoData(
  url: string,
  database: string,
  auth: InfluxqlAuth,
  options: DemoDataOptions,
): Promise<DemoDataSummary> {
  const signal = options.signal ?? new AbortController().signal;
  const client = new InfluxqlClient({ url, auth });

  if (options.createDatabase ?? true) {
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
  }

  const startSeconds = Math.floor(options.startTime.getTime() / 1000);
  const endSeconds = startSeconds + Math.round(options.days * 86_400);
  const points: Record<string, number> = {};
  let lastSeconds = startSeconds;

  for (const generator of demoGenerators()) {
    const random = seededRandom(generator.measurement);
    let batch: string[] = [];
    points[generator.measurement] = 0;

    for (let time = startSeconds; time < endSeconds; time += generator.intervalSeconds) {
      const lines = generator.lines(time, random);
      batch.push(...lines.map((line) => `${line} ${time}`));
      points[generator.measurement] += lines.length;
      lastSeconds = Math.max(lastSeconds, time);

      if (batch.length >= LINES_PER_WRITE) {
        await client.write(database, batch.join('\n'), { precision: 's', signal });
        batch = [];
      }
    }
    if (batch.length > 0) {
      await client.write(database, batch.join('\n'), { precision: 's', signal });
    }
  }

  return {
    database,
    points,
    firstTimestamp: new Date(startSeconds * 1000).toISOString().replace('.000Z', 'Z'),
    lastTimestamp: new Date(lastSeconds * 1000).toISOString().replace('.000Z', 'Z'),
  };
}

/** Return the generators in write order. */
export function demoGenerators(): MeasurementGenerator[] {
  return [bioreactor(), roomClimate(), shellyPlug(), telegrafCpu(), telegrafMemory()];
}

function bioreactor(): MeasurementGenerator {
  return {
    measurement: 'bioreactor',
    intervalSeconds: 60,
    lines(time, random) {
      return REACTORS.map((reactor) => {
        const temperature = reactor.setpoint + 0.2 * Math.sin(time / 3600) + noise(random, 0.05);
        const ph = 7.0 - 0.15 * dayFraction(time) + noise(random, 0.01);
        const oxygen = 40 + 10 * Math.cos(time / 5400) + noise(random, 1);
        return (
          `bioreactor,reactor=${reactor.id},site=lab temperature_c=${fixed(temperature, 2)},` +
          `ph=${fixed(ph, 3)},stirrer_rpm=${reactor.rpm}i,dissolved_oxygen_pct=${fixed(oxygen, 1)}`
        );
      });
    },
  };
}

/** Telegraf's JSON parser turns every number into a float, so linkquality is a float too. */
function roomClimate(): MeasurementGenerator {
  return {
    measurement: 'mqtt_consumer',
    intervalSeconds: 60,
    lines(time, random) {
      return ROOMS.map((room, index) => {
        const temperature =
          20.5 + index + 1.5 * Math.sin((time / 86_400) * 2 * Math.PI) + noise(random, 0.1);
        const humidity = 45 + 5 * Math.cos((time / 86_400) * 2 * Math.PI) + noise(random, 0.5);
        const battery = 100 - Math.floor(dayFraction(time) * 2) - index;
        const linkquality = 90 + Math.floor(random() * 60);
        return (
          `mqtt_consumer,host=telegraf,topic=zigbee2mqtt/${room} temperature=${fixed(temperature, 2)},` +
          `humidity=${fixed(humidity, 1)},battery=${battery},linkquality=${linkquality}`
        );
      });
    },
  };
}

function shellyPlug(): MeasurementGenerator {
  let energyKwh = 12.5;
  return {
    measurement: 'shelly_plug',
    intervalSeconds: 10,
    lines(time, random) {
      // A fridge compressor: about 15 minutes on, 25 minutes off.
      const compressorOn = time % 2400 < 900;
      const power = compressorOn ? 85 + noise(random, 3) : 1.2 + noise(random, 0.1);
      const voltage = 230 + noise(random, 1.5);
      energyKwh += (power * 10) / 3_600_000;
      return [
        `shelly_plug,device=shellyplug-s-fridge,room=kitchen power_w=${fixed(power, 1)},` +
          `voltage_v=${fixed(voltage, 1)},current_a=${fixed(power / voltage, 3)},` +
          `energy_kwh=${fixed(energyKwh, 4)},output=${compressorOn}`,
      ];
    },
  };
}

function telegrafCpu(): MeasurementGenerator {
  return {
    measurement: 'cpu',
    intervalSeconds: 10,
    lines(time, random) {
      const busy = 8 + 6 * Math.max(0, Math.sin(time / 7200)) + random() * 4;
      const user = busy * 0.7;
      const system = busy * 0.25;
      const iowait = busy * 0.05;
      return [
        `cpu,cpu=cpu-total,host=weft-demo usage_user=${fixed(user, 3)},usage_system=${fixed(system, 3)},` +
          `usage_iowait=${fixed(iowait, 3)},usage_idle=${fixed(100 - busy, 3)}`,
      ];
    },
  };
}

function telegrafMemory(): MeasurementGenerator {
  return {
    measurement: 'mem',
    intervalSeconds: 10,
    lines(time, random) {
      const used = Math.floor(
        MEMORY_TOTAL_BYTES * (0.35 + 0.05 * Math.sin(time / 10_800) + random() * 0.01),
      );
      const available = MEMORY_TOTAL_BYTES - used;
      return [
        `mem,host=weft-demo total=${MEMORY_TOTAL_BYTES}i,used=${used}i,available=${available}i,` +
          `used_percent=${fixed((used / MEMORY_TOTAL_BYTES) * 100, 3)}`,
      ];
    },
  };
}

/** mulberry32, seeded from the measurement name so each generator has its own sequence. */
function seededRandom(seedText: string): () => number {
  let state = 0;
  for (const character of seedText) {
    state = (Math.imul(state, 31) + character.charCodeAt(0)) >>> 0;
  }

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function noise(random: () => number, amplitude: number): number {
  return (random() * 2 - 1) * amplitude;
}

function dayFraction(time: number): number {
  return (time % 86_400) / 86_400;
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

interface CliArguments {
  url: string;
  database: string;
  username?: string;
  days: number;
  startTime: Date;
}

function parseCliArguments(argv: string[]): CliArguments {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index];
    const value = argv[index + 1];
    if (!name.startsWith('--') || value === undefined) {
      throw new Error(
        `invalid argument ${name}; use --name value pairs (--url, --db, --username, --days, --start)`,
      );
    }
    values.set(name.slice(2), value);
  }

  const url = values.get('url');
  const database = values.get('db');
  if (url === undefined || database === undefined) {
    throw new Error('missing --url or --db; give the InfluxDB base URL and the database to write');
  }

  const days = Number(values.get('days') ?? '3');
  if (!Number.isFinite(days) || days <= 0) {
    throw new Error(`--days ${values.get('days')} is not a positive number of days`);
  }

  const startText = values.get('start');
  const startTime =
    startText === undefined ? new Date(Date.now() - days * 86_400_000) : new Date(startText);
  if (Number.isNaN(startTime.getTime())) {
    throw new Error(
      `--start ${startText} is not an RFC 3339 timestamp such as 2026-01-05T00:00:00Z`,
    );
  }

  return { url, database, username: values.get('username'), days, startTime };
}

async function main(): Promise<void> {
  const cli = parseCliArguments(process.argv.slice(2));
  const password = process.env.WEFT_INFLUX_PASSWORD ?? '';
  const auth: InfluxqlAuth =
    cli.username === undefined
      ? { kind: 'none' }
      : { kind: 'basic', username: cli.username, password };

  const summary = await writeDemoData(cli.url, cli.database, auth, {
    days: cli.days,
    startTime: cli.startTime,
  });
  console.log(JSON.stringify(summary, null, 2));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
