import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { HarvestSnapshot, ValueDatatype } from '../../src/harvest/harvest.types';
import { InfluxHarvestError } from '../../src/harvest/influx/influx-harvest.error';
import { InfluxV1Harvester } from '../../src/harvest/influx/influxdb-v1.harvester';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import { loadTestEnv } from '../env/load-env';

// Writes each line of the line-protocol escaping corpus into its own database
// on the real InfluxDB 1.6 of scripts/test-env/up.sh and harvests all of them
// in one run. The corpus cases come from influxdata/line-protocol-corpus, with
// the names that the reference Go decoder github.com/influxdata/line-protocol/v2
// produces. The harvested names must equal the decoded names, so spaces,
// commas, equals signs, quotes, backslashes and control characters must
// survive InfluxQL quoting both ways.

const env = loadTestEnv();
const corpusDir = resolve(__dirname, '../..', process.env.WEFT_CORPUS_DIR ?? '../shared/corpus');
const signal = new AbortController().signal;
const prefix = `weft_lp_${randomUUID().slice(0, 8)}`;

interface CorpusCase {
  in?: string;
  in_b64?: string;
  expect: string;
}

/** Tag keys and field keys with types, read by hand from each case's `expect`. */
interface ExpectedKeys {
  tags: string[];
  fields: Record<string, ValueDatatype>;
}

const DOUBLE: ValueDatatype = 'xsd:double';
const INTEGER: ValueDatatype = 'xsd:integer';
const STRING: ValueDatatype = 'xsd:string';

const EXPECTED_KEYS: Record<string, ExpectedKeys> = {
  'c\\ pu value=42': { tags: [], fields: { value: DOUBLE } },
  'c\\,pu value=42': { tags: [], fields: { value: DOUBLE } },
  'cpu=load,region=east value=1.0': { tags: ['region'], fields: { value: DOUBLE } },
  '"cpu",host=serverA,region=us-east value=1.0 1000000000': {
    tags: ['host', 'region'],
    fields: { value: DOUBLE },
  },
  'cpu va\\ lue=42': { tags: [], fields: { 'va lue': DOUBLE } },
  'cpu va\\,lue=42': { tags: [], fields: { 'va,lue': DOUBLE } },
  'cpu va\\=lue=42': { tags: [], fields: { 'va=lue': DOUBLE } },
  'cpu va\\lue=42': { tags: [], fields: { 'va\\lue': DOUBLE } },
  'cpu \\a=1i': { tags: [], fields: { '\\a': INTEGER } },
  'cpu,ho\\,st=localhost value=42': { tags: ['ho,st'], fields: { value: DOUBLE } },
  'cpu,ho\\=st=localhost value=42': { tags: ['ho=st'], fields: { value: DOUBLE } },
  'cpu,ho\\st=localhost value=42': { tags: ['ho\\st'], fields: { value: DOUBLE } },
  'cpu,host=two\\ words value=42': { tags: ['host'], fields: { value: DOUBLE } },
  'cpu,host=two\\\\ words value=42': { tags: ['host'], fields: { value: DOUBLE } },
  'cpu,host=two\\\\\\ words value=42': { tags: ['host'], fields: { value: DOUBLE } },
  'cpu,regions=east\\\\  value=1.0': { tags: ['regions'], fields: { value: DOUBLE } },
  'cpu,regions=\\\\,\\,\\=east value=1.0': { tags: ['regions'], fields: { value: DOUBLE } },
  'cpu,tag0=1\\"\\",t=k value=1': { tags: ['t', 'tag0'], fields: { value: DOUBLE } },
  'cpu,"host"="serverA",region=us-east value=1.0 1000000000': {
    tags: ['"host"', 'region'],
    fields: { value: DOUBLE },
  },
  'cpu value="how\\"dy"': { tags: [], fields: { value: STRING } },
  'cpu value="how\\\\dy"': { tags: [], fields: { value: STRING } },
  'cpu,host=serverA,region=us-east value=1.0,str="foo\\,bar" 1000000000': {
    tags: ['host', 'region'],
    fields: { str: STRING, value: DOUBLE },
  },
  't s="backslash \\\\ then quote \\" ."': { tags: [], fields: { s: STRING } },
  'cpu value="4\n2"': { tags: [], fields: { value: STRING } },
  'm v="\\n"': { tags: [], fields: { v: STRING } },
  'm,k=x\u0001y v=1': { tags: ['k'], fields: { v: DOUBLE } },
  'cpu,tag0=v0,_measurement=v0 value=1': {
    tags: ['_measurement', 'tag0'],
    fields: { value: DOUBLE },
  },
};

function readCorpus(): CorpusCase[] {
  const text = readFileSync(join(corpusDir, 'influx', 'lp_escaping_and_charset.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as CorpusCase);
}

function lineBytes(entry: CorpusCase): Buffer {
  return entry.in !== undefined
    ? Buffer.from(entry.in, 'utf8')
    : Buffer.from(entry.in_b64 ?? '', 'base64');
}

/** Read the measurement name from `name="..."`; the corpus quotes it like Go's %q. */
function expectedName(expect: string): string {
  const match = /^name=("(?:[^"\\]|\\.)*")/.exec(expect);
  if (match === null) {
    throw new Error(`corpus expectation without a name: ${expect}`);
  }
  return JSON.parse(match[1].replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
}

/** Split the `tags="..."` and `fields=...` parts out of an expectation, for consistency checks. */
function expectationParts(expect: string): { tags: string; fields: string } {
  const tagsMatch = /tags=("(?:[^"\\]|\\.)*")/.exec(expect);
  const tags = tagsMatch === null ? '' : (JSON.parse(tagsMatch[1]) as string);
  const fields = expect.slice(
    expect.indexOf(' fields=') + ' fields='.length,
    expect.lastIndexOf(' time='),
  );
  return { tags, fields };
}

const corpus = readCorpus();
const validCases = corpus.filter((entry) => !entry.expect.startsWith('ERROR'));
const databaseOf = new Map<CorpusCase, string>(
  corpus.map((entry, index) => [entry, `${prefix}_${index}`]),
);

const admin = new InfluxqlClient({
  url: env.WEFT_TEST_INFLUX_URL,
  auth: {
    kind: 'basic',
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  },
});

const writeOutcome = new Map<CorpusCase, number>();
let snapshot: HarvestSnapshot;

beforeAll(async () => {
  for (const entry of corpus) {
    const database = databaseOf.get(entry)!;
    await admin.query(`CREATE DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
    try {
      await admin.write(database, lineBytes(entry), { signal });
      writeOutcome.set(entry, 204);
    } catch (error) {
      if (!(error instanceof InfluxHarvestError) || error.status === undefined) {
        throw error;
      }
      writeOutcome.set(entry, error.status);
    }
  }

  const passwordVariable = `WEFT_TEST_LP_PASSWORD_${randomUUID().slice(0, 8)}`;
  process.env[passwordVariable] = env.WEFT_TEST_INFLUX_ADMIN_PASSWORD;
  snapshot = await new InfluxV1Harvester({
    id: 'lp-corpus',
    kind: 'influxdb-v1',
    intervalSeconds: 0,
    enabled: true,
    url: env.WEFT_TEST_INFLUX_URL,
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: { env: passwordVariable },
    databases: [...databaseOf.values()],
  }).harvest(signal);
  delete process.env[passwordVariable];
});

afterAll(async () => {
  for (const database of databaseOf.values()) {
    await admin.query(`DROP DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
  }
});

describe('line-protocol corpus on InfluxDB 1.6', () => {
  it('has expected keys for every valid case', () => {
    expect(validCases.map((entry) => entry.in).sort()).toEqual(Object.keys(EXPECTED_KEYS).sort());

    for (const entry of validCases) {
      const parts = expectationParts(entry.expect);
      for (const tag of EXPECTED_KEYS[entry.in!].tags) {
        expect(parts.tags).toContain(`${tag}=`);
      }
      for (const field of Object.keys(EXPECTED_KEYS[entry.in!].fields)) {
        expect(parts.fields).toContain(`${field}=`);
      }
    }
  });

  it.each(validCases.map((entry) => [entry.in!, entry]))(
    'harvests %j by its decoded names',
    (_line, entry) => {
      const database = databaseOf.get(entry)!;
      const keys = EXPECTED_KEYS[entry.in!];
      const datasets = snapshot.datasets.filter((dataset) => dataset.details.database === database);

      expect(writeOutcome.get(entry)).toBe(204);
      expect(datasets).toHaveLength(1);
      expect(datasets[0].details.measurement).toBe(expectedName(entry.expect));
      expect(datasets[0].title).toBe(expectedName(entry.expect));
      expect((datasets[0].details.tagKeys as { key: string }[]).map((tag) => tag.key)).toEqual(
        keys.tags,
      );
      expect(
        Object.fromEntries(
          datasets[0].properties.map((property) => [property.name, property.datatypes[0]]),
        ),
      ).toEqual(keys.fields);
      expect(datasets[0].temporal?.start).toBeDefined();
      expect(datasets[0].temporal?.start).toBe(datasets[0].temporal?.end);
    },
  );

  it('reports no issue for the valid cases', () => {
    const validDatabases = new Set(validCases.map((entry) => databaseOf.get(entry)!));
    const issues = snapshot.issues.filter((issue) =>
      validDatabases.has(issue.subject.split('/')[0]),
    );

    expect(issues).toEqual([]);
  });
});

// The reference decoder rejects these lines; InfluxDB 1.6's own parser
// accepts some of them. The harvester reports whatever the server stored.
describe('lines the reference decoder rejects', () => {
  function caseFor(line: string | Buffer): CorpusCase {
    const entry = corpus.find((candidate) => lineBytes(candidate).equals(Buffer.from(line)));
    if (entry === undefined) {
      throw new Error(`corpus has no case ${JSON.stringify(line.toString())}`);
    }
    return entry;
  }

  function measurementsOf(entry: CorpusCase): string[] {
    const database = databaseOf.get(entry)!;
    return snapshot.datasets
      .filter((dataset) => dataset.details.database === database)
      .map((dataset) => String(dataset.details.measurement));
  }

  it.each([['m\u00a0v=1'], ['cpu,host=f\\==o,'], ['cpu,b=2,b=1,c=3 value=1i 1000000000']])(
    'InfluxDB 1.6 rejects %j too',
    (line) => {
      const entry = caseFor(line);

      expect(entry.expect).toMatch(/^ERROR/);
      expect(writeOutcome.get(entry)).toBe(400);
      expect(measurementsOf(entry)).toEqual([]);
    },
  );

  it('harvests a name after a leading tab as 1.6 stored it', () => {
    const entry = caseFor('\tm v=1');

    expect(writeOutcome.get(entry)).toBe(204);
    expect(measurementsOf(entry)).toEqual(['m']);
  });

  it('harvests a control character in a name', () => {
    const entry = caseFor('x\u0001y v=1');

    expect(writeOutcome.get(entry)).toBe(204);
    expect(measurementsOf(entry)).toEqual(['x\u0001y']);
  });

  it('harvests invalid UTF-8 in a tag value and a string field', () => {
    const tagCase = caseFor(Buffer.from('m,foo=bad\xff v=1', 'latin1'));
    const fieldCase = caseFor(Buffer.from('m f="bad\xff"', 'latin1'));

    expect(writeOutcome.get(tagCase)).toBe(204);
    expect(measurementsOf(tagCase)).toEqual(['m']);
    expect(writeOutcome.get(fieldCase)).toBe(204);
    expect(measurementsOf(fieldCase)).toEqual(['m']);
  });

  it('warns about invalid UTF-8 in a measurement name', () => {
    const entry = caseFor(Buffer.from('bad\xff v=1', 'latin1'));
    const database = databaseOf.get(entry)!;

    expect(writeOutcome.get(entry)).toBe(500);
    expect(measurementsOf(entry)).toEqual(['bad\uFFFD']);
    expect(snapshot.issues.filter((issue) => issue.subject === `${database}/bad\uFFFD`)).toEqual([
      {
        severity: 'warning',
        subject: `${database}/bad\uFFFD`,
        message:
          'the measurement name contains U+FFFD: InfluxDB stored bytes that are not valid UTF-8 and replaced ' +
          'them in its answer, so statements that name this measurement cannot match it',
      },
    ]);
  });
});
