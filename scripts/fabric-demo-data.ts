/**
 * Writes the relational half of the demo laboratory into a PostgreSQL
 * schema, matched to the time series that scripts/influx-demo-data.ts
 * writes into InfluxDB:
 *
 * - `asset`: the devices whose readings are in InfluxDB, keyed by the tag
 *   value their points carry (`BR-01`, `shellyplug-s-fridge`, `weft-demo`);
 * - `batch`: fermentation batches in bioreactors BR-01 and BR-02, each with
 *   start and end times inside the written time series;
 * - `sample`: samples taken during the batches.
 *
 * The same options always write the same rows. A read-only role is granted
 * SELECT on the tables, as a site would give Weft.
 *
 * Command line (the password is read from WEFT_PG_PASSWORD, never from argv):
 *   node dist/scripts/fabric-demo-data.js --url postgres://admin@127.0.0.1:5432/lab \
 *     [--schema lab] [--reader weft_reader] [--days 3] [--start 2026-01-05T00:00:00Z]
 */
import { Client } from 'pg';

import { quoteIdent } from '../src/harvest/postgres/postgres-quote';

export interface FabricDemoOptions {
  /** Schema to create (or fill again); dropped first when it exists. */
  schema: string;
  /** Timestamp of the first InfluxDB point, as given to writeDemoData. */
  startTime: Date;
  /** Length of the InfluxDB history in days. */
  days: number;
  /** Role that gets USAGE on the schema and SELECT on its tables; none when undefined. */
  readerRole?: string;
}

export interface FabricDemoSummary {
  schema: string;
  assets: number;
  batches: number;
  samples: number;
}

const BATCH_HOURS = 10;
const BATCH_SPACING_HOURS = 12;
const STRAINS = ['E. coli K-12', 'S. cerevisiae', 'P. pastoris'];
const ASSETS: Array<[string, string, string, string]> = [
  ['BR-01', 'Bioreactor 1 (2 L)', 'lab', 'bioreactor'],
  ['BR-02', 'Bioreactor 2 (5 L)', 'lab', 'bioreactor'],
  ['shellyplug-s-fridge', 'Sample fridge plug', 'kitchen', 'smart plug'],
  ['weft-demo', 'Weft demo host', 'server room', 'computer'],
];

/** Create the demo schema and its rows; returns what was written. */
export async function writeFabricDemoData(
  client: Client,
  options: FabricDemoOptions,
): Promise<FabricDemoSummary> {
  const schema = quoteIdent(options.schema);
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await createTables(client, schema);

  for (const asset of ASSETS) {
    await client.query(`INSERT INTO ${schema}.asset VALUES ($1, $2, $3, $4)`, asset);
  }

  const batches = demoBatches(options.startTime, options.days);
  for (const batch of batches) {
    await client.query(`INSERT INTO ${schema}.batch VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      batch.id,
      batch.reactor,
      batch.strain,
      batch.startedAt.toISOString(),
      batch.endedAt?.toISOString() ?? null,
      batch.setpoint,
      batch.status,
    ]);
  }

  let samples = 0;
  for (const batch of batches) {
    for (let hour = 2; hour < BATCH_HOURS; hour += 3) {
      samples += 1;
      const takenAt = new Date(batch.startedAt.getTime() + hour * 3_600_000);
      const od600 = Number((0.1 * Math.exp(hour / 4)).toFixed(3));
      await client.query(`INSERT INTO ${schema}.sample VALUES ($1, $2, $3, $4)`, [
        batch.id * 100 + hour,
        batch.id,
        takenAt.toISOString(),
        od600,
      ]);
    }
  }

  if (options.readerRole !== undefined) {
    const reader = quoteIdent(options.readerRole);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${reader}`);
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader}`);
  }
  // The harvester reports the planner's row estimates, which ANALYZE sets.
  await client.query(`ANALYZE ${schema}.asset, ${schema}.batch, ${schema}.sample`);

  return { schema: options.schema, assets: ASSETS.length, batches: batches.length, samples };
}

async function createTables(client: Client, schema: string): Promise<void> {
  await client.query(`
    CREATE TABLE ${schema}.asset (
      asset_id text PRIMARY KEY,
      name text NOT NULL,
      room text,
      asset_type text NOT NULL
    );
    COMMENT ON TABLE ${schema}.asset IS 'Devices of the site, keyed by the tag value of their readings in InfluxDB';
    CREATE TABLE ${schema}.batch (
      batch_id integer PRIMARY KEY,
      reactor text NOT NULL REFERENCES ${schema}.asset (asset_id),
      strain text NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      setpoint_c numeric(4, 1),
      status text NOT NULL
    );
    COMMENT ON TABLE ${schema}.batch IS 'Fermentation batches run in the bioreactors';
    COMMENT ON COLUMN ${schema}.batch.setpoint_c IS 'Temperature setpoint [°C]';
    CREATE TABLE ${schema}.sample (
      sample_id integer PRIMARY KEY,
      batch_id integer NOT NULL REFERENCES ${schema}.batch (batch_id),
      taken_at timestamptz NOT NULL,
      od600 real
    );
    COMMENT ON COLUMN ${schema}.sample.od600 IS 'Optical density at 600 nm';
  `);
}

interface DemoBatch {
  id: number;
  reactor: string;
  strain: string;
  startedAt: Date;
  endedAt: Date | null;
  setpoint: number;
  status: 'done' | 'running';
}

/** Batches every 12 hours, alternating reactors; the last one still runs at the end of the data. */
export function demoBatches(startTime: Date, days: number): DemoBatch[] {
  const batches: DemoBatch[] = [];
  const endMs = startTime.getTime() + days * 86_400_000;
  for (let index = 0; ; index++) {
    const startedAt = new Date(startTime.getTime() + (index * BATCH_SPACING_HOURS + 1) * 3_600_000);
    if (startedAt.getTime() >= endMs) {
      break;
    }
    const ended = startedAt.getTime() + BATCH_HOURS * 3_600_000;
    const reactor = index % 2 === 0 ? 'BR-01' : 'BR-02';
    batches.push({
      id: index + 1,
      reactor,
      strain: STRAINS[index % STRAINS.length] ?? 'E. coli K-12',
      startedAt,
      endedAt: ended < endMs ? new Date(ended) : null,
      setpoint: reactor === 'BR-01' ? 37 : 30,
      status: ended < endMs ? 'done' : 'running',
    });
  }
  return batches;
}

interface CliArguments {
  url: string;
  schema: string;
  reader?: string;
  days: number;
  startTime: Date;
}

function parseCliArguments(argv: string[]): CliArguments {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index] ?? '';
    const value = argv[index + 1];
    if (!name.startsWith('--') || value === undefined) {
      throw new Error(
        `invalid argument ${name}; use --name value pairs (--url, --schema, --reader, --days, --start)`,
      );
    }
    values.set(name.slice(2), value);
  }

  const url = values.get('url');
  if (url === undefined) {
    throw new Error(
      '--url is missing: give the PostgreSQL URL of an account that may create schemas',
    );
  }
  const startTime = new Date(values.get('start') ?? '2026-01-05T00:00:00Z');
  const days = Number(values.get('days') ?? '3');
  if (Number.isNaN(startTime.getTime()) || !(days > 0)) {
    throw new Error('--start must be an RFC 3339 time and --days a positive number');
  }
  const reader = values.get('reader');
  return {
    url,
    schema: values.get('schema') ?? 'lab',
    ...(reader === undefined ? {} : { reader }),
    days,
    startTime,
  };
}

async function main(): Promise<void> {
  const options = parseCliArguments(process.argv.slice(2));
  const client = new Client({
    connectionString: options.url,
    password: process.env.WEFT_PG_PASSWORD,
  });
  await client.connect();
  try {
    const summary = await writeFabricDemoData(client, {
      schema: options.schema,
      startTime: options.startTime,
      days: options.days,
      ...(options.reader === undefined ? {} : { readerRole: options.reader }),
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `fabric-demo-data failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
