import { Client } from 'pg';

import { randomInt } from 'node:crypto';

import { BETANUMERIC, ncdaCheckCharacter } from '../src/identifiers/noid-check';
import { progress, residentMiB, round, startWeft, summarize } from './bench-support';

function mintLocalId(): string {
  let blade = '';
  for (let index = 0; index < 9; index++) {
    blade += BETANUMERIC[randomInt(BETANUMERIC.length)];
  }
  return blade + ncdaCheckCharacter(blade);
}

/** Words the synthetic datasets are titled with, so searches hit a realistic share of them. */
const ROOMS = [
  'kitchen',
  'office',
  'lab',
  'hall',
  'cellar',
  'roof',
  'line1',
  'line2',
  'boiler',
  'garage',
];
const THINGS = [
  'climate',
  'power',
  'energy',
  'door',
  'motion',
  'light',
  'pump',
  'valve',
  'bioreactor',
  'compressor',
];
const UNITS = [
  ['Cel', 'Temperature'],
  ['W', 'Power'],
  ['kW.h', 'Energy'],
  ['%', 'RelativeHumidity'],
  ['hPa', 'Pressure'],
];

/** V8 flags for the Weft process under test. */
export function nodeOptions(): string {
  return process.env.BENCH_WEFT_NODE_OPTIONS ?? '--max-semi-space-size=2 --max-old-space-size=192';
}

export interface CatalogBenchResult {
  datasets: number;
  nodeOptions: string;
  search: {
    weft: ReturnType<typeof summarize>;
    directSql: ReturnType<typeof summarize>;
    ratioP50: number;
  };
  resolution: {
    requestsPerSecond: number;
    healthRequestsPerSecond: number;
    ratio: number;
    concurrency: number;
    seconds: number;
  };
  residentMiB: { afterStart: number; afterLoad: number };
}

/**
 * Seed a PostgreSQL database with `count` synthetic datasets (one source,
 * realistic titles, units and search text), through SQL so seeding takes
 * seconds; Weft's own migrations create the schema first.
 */
async function seed(databaseUrl: string, count: number, pidBase: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`INSERT INTO source_system (id, source_key, pid, kind, title, config, details)
      VALUES (gen_random_uuid(), 'bench-broker', 'bench:source', 'mqtt', 'Bench broker', '{}'::jsonb, '{}'::jsonb)`);
    const batch = 10_000;
    for (let offset = 0; offset < count; offset += batch) {
      await client.query(
        `INSERT INTO dataset (id, pid, source_id, natural_key, kind, title, keywords, place, details, units, quantity_kinds,
           access_level, search_text, content_hash, first_harvested_at, last_harvested_at, modified_at, temporal_start, temporal_end)
         SELECT gen_random_uuid(), 'http://bench/id/' || n, (SELECT id FROM source_system WHERE source_key = 'bench-broker'),
           'site/' || n, 'mqtt-topic',
           initcap(($1::text[])[1 + n % 10]) || ' ' || ($2::text[])[1 + (n / 10) % 10] || ' ' || n,
           ARRAY[($1::text[])[1 + n % 10], ($2::text[])[1 + (n / 10) % 10]], initcap(($1::text[])[1 + n % 10]), '{}'::jsonb,
           ARRAY[($3::text[])[1 + n % 5]], ARRAY[($4::text[])[1 + n % 5]], 'public',
           ($1::text[])[1 + n % 10] || ' ' || ($2::text[])[1 + (n / 10) % 10] || ' sensor ' || n || ' ' || ($4::text[])[1 + n % 5],
           md5(n::text), now(), now(), now(), now() - interval '30 days', now()
         FROM generate_series($5::int, $6::int) AS n`,
        [
          ROOMS,
          THINGS,
          UNITS.map((unit) => unit[0]),
          UNITS.map((unit) => unit[1]),
          offset,
          Math.min(offset + batch, count) - 1,
        ],
      );
      progress(`seeded ${Math.min(offset + batch, count)} of ${count} datasets`);
    }
    // Identifiers are minted here the way Weft mints them (random blade plus NCDA check character),
    // so the resolver accepts them.
    const ids = await client.query<{ id: string }>('SELECT id FROM dataset');
    const localIds: string[] = [];
    for (let offset = 0; offset < ids.rows.length; offset += batch) {
      const slice = ids.rows.slice(offset, offset + batch);
      const minted = slice.map(() => mintLocalId());
      localIds.push(...minted);
      await client.query(
        `WITH minted AS (SELECT * FROM unnest($1::text[], $2::uuid[]) AS m(local_id, entity_id))
         , registered AS (INSERT INTO identifier (local_id, entity_type, entity_id) SELECT local_id, 'dataset', entity_id FROM minted)
         UPDATE dataset SET pid = $3 || minted.local_id FROM minted WHERE dataset.id = minted.entity_id`,
        [minted, slice.map((row) => row.id), pidBase],
      );
    }
    await client.query('ANALYZE');
    return localIds.slice(0, 1000);
  } finally {
    await client.end();
  }
}

const QUERIES = [
  'kitchen climate',
  'boiler',
  'line1 pump',
  'bioreactor',
  'office power',
  'sensor 4242',
  'roof light',
  'energy',
  'valve',
  'cellar door',
];

async function timeWeftSearches(url: string, rounds: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < rounds; index++) {
    const text = QUERIES[index % QUERIES.length];
    const started = process.hrtime.bigint();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query($text: String) { searchDatasets(input: { text: $text }, first: 20) { totalCount nodes { id title units } } }',
        variables: { text },
      }),
    });
    const body = (await response.json()) as { errors?: unknown };
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (body.errors !== undefined) {
      throw new Error(`search failed: ${JSON.stringify(body.errors)}`);
    }
  }
  return samples;
}

async function timeDirectSearches(databaseUrl: string, rounds: number): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const samples: number[] = [];
  try {
    for (let index = 0; index < rounds; index++) {
      const words = QUERIES[index % QUERIES.length]
        .split(' ')
        .map((word) => `${word}:*`)
        .join(' & ');
      const started = process.hrtime.bigint();
      await client.query(
        `SELECT count(*) FROM dataset WHERE access_level IN ('public') AND status = 'active' AND search_vector @@ to_tsquery('simple', $1)`,
        [words],
      );
      await client.query(
        `SELECT id, title, units, ts_rank(search_vector, to_tsquery('simple', $1)) AS rank FROM dataset
         WHERE access_level IN ('public') AND status = 'active' AND search_vector @@ to_tsquery('simple', $1)
         ORDER BY rank DESC, title, id LIMIT 21`,
        [words],
      );
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    await client.end();
  }
  return samples;
}

/** Requests per second with `concurrency` requests in flight for `seconds`. */
async function throughput(
  makeRequest: (index: number) => Promise<void>,
  concurrency: number,
  seconds: number,
): Promise<number> {
  let completed = 0;
  const deadline = Date.now() + seconds * 1000;
  const worker = async (workerIndex: number): Promise<void> => {
    let index = workerIndex;
    while (Date.now() < deadline) {
      await makeRequest(index);
      completed += 1;
      index += concurrency;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  return round(completed / ((Date.now() - started) / 1000), 0);
}

const ACCEPTS = ['text/html', 'application/ld+json', 'text/turtle'];

export async function benchCatalog(
  databaseUrl: string,
  count: number,
): Promise<CatalogBenchResult> {
  progress(`starting Weft on a fresh database for ${count} datasets`);
  const weft = await startWeft({
    WEFT_DATABASE_URL: databaseUrl,
    WEFT_ALLOW_PASSWORD_IN_URL: 'true',
    // The V8 heap settings docs/configuration.md recommends for small machines; BENCH_WEFT_NODE_OPTIONS
    // replaces them (for example with --cpu-prof, or an empty value for Node.js defaults).
    NODE_OPTIONS: nodeOptions(),
  });
  try {
    const afterStart = residentMiB(weft.child.pid as number);
    const localIds = await seed(databaseUrl, count, `${weft.url}/id/`);

    progress(
      'timing 1000 searches through GraphQL and 1000 straight to PostgreSQL, interleaved in blocks',
    );
    await timeWeftSearches(weft.url, 50);
    await timeDirectSearches(databaseUrl, 50);
    const weftSamples: number[] = [];
    const directSamples: number[] = [];
    for (let block = 0; block < 10; block++) {
      weftSamples.push(...(await timeWeftSearches(weft.url, 100)));
      directSamples.push(...(await timeDirectSearches(databaseUrl, 100)));
    }

    progress('measuring identifier resolution with content negotiation beside /health');
    const concurrency = 16;
    const seconds = 10;
    const resolveRate = await throughput(
      async (index) => {
        const response = await fetch(`${weft.url}/id/${localIds[index % localIds.length]}`, {
          headers: { accept: ACCEPTS[index % ACCEPTS.length] },
        });
        await response.arrayBuffer();
      },
      concurrency,
      seconds,
    );
    const healthRate = await throughput(
      async () => {
        const response = await fetch(`${weft.url}/health`);
        await response.arrayBuffer();
      },
      concurrency,
      seconds,
    );

    const weftSummary = summarize(weftSamples);
    const directSummary = summarize(directSamples);
    return {
      datasets: count,
      nodeOptions: nodeOptions(),
      search: {
        weft: weftSummary,
        directSql: directSummary,
        ratioP50: round(weftSummary.p50 / directSummary.p50),
      },
      resolution: {
        requestsPerSecond: resolveRate,
        healthRequestsPerSecond: healthRate,
        ratio: round(resolveRate / healthRate),
        concurrency,
        seconds,
      },
      residentMiB: { afterStart, afterLoad: residentMiB(weft.child.pid as number) },
    };
  } finally {
    await weft.stop();
  }
}
