import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseSources } from '../../sources/source-config.parser';
import type { PostgresSourceConfig } from '../../sources/source-config.types';
import { unitInComment } from './postgres-catalog.reader';
import {
  isoTimestamp,
  parsePostgresUrl,
  postgresClientConfig,
  redactPostgresUrl,
} from './postgres-connection';
import { mapColumnType } from './postgres-types';

const base: PostgresSourceConfig = {
  id: 'lab-db',
  kind: 'postgresql',
  url: 'postgres://weft_reader@db.lab:6543/lab%20data?sslmode=require',
  schemas: ['public'],
  maxTables: 10,
  intervalSeconds: 0,
  enabled: true,
};
const options = { statementTimeoutMs: 1000, connectTimeoutMs: 500, applicationName: 'weft-test' };

describe('PostgreSQL connection settings', () => {
  it('reads the URL parts', () => {
    expect(parsePostgresUrl(base.url)).toEqual({
      host: 'db.lab',
      port: 6543,
      database: 'lab data',
      user: 'weft_reader',
      sslMode: 'require',
    });
    expect(redactPostgresUrl('postgres://u:secret@db:5432/lab?sslmode=require')).toBe(
      'postgres://db:5432/lab',
    );
  });

  it('read-only UTC session with TLS from sslmode', () => {
    const config = postgresClientConfig(base, options);

    expect(config).toMatchObject({
      host: 'db.lab',
      port: 6543,
      database: 'lab data',
      user: 'weft_reader',
      ssl: { rejectUnauthorized: true },
    });
    expect(config.options).toBe(
      '-c default_transaction_read_only=on -c TimeZone=UTC -c DateStyle=ISO',
    );
    expect(config.statement_timeout).toBe(1000);
    expect(config.password).toBeUndefined();
  });

  it('caFile turns on verified TLS', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'weft-pg-ca-'));
    const caFile = path.join(folder, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = postgresClientConfig({ ...base, url: 'postgres://db/lab', caFile }, options);

    expect(config.ssl).toEqual({
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      rejectUnauthorized: true,
    });
    expect(() =>
      postgresClientConfig({ ...base, caFile: path.join(folder, 'missing.pem') }, options),
    ).toThrow(/^source lab-db: cannot read caFile .*missing\.pem .*; create it or fix the path$/);
  });

  it('password comes from its reference', () => {
    process.env.WEFT_TEST_PG_UNIT_SECRET = 's3cret';
    const config = postgresClientConfig(
      { ...base, password: { env: 'WEFT_TEST_PG_UNIT_SECRET' } },
      options,
    );
    delete process.env.WEFT_TEST_PG_UNIT_SECRET;

    expect(config.password).toBe('s3cret');
  });

  it('writes timestamps as RFC 3339', () => {
    expect(isoTimestamp('2024-03-01 10:00:00.5+00')).toBe('2024-03-01T10:00:00.5Z');
    expect(isoTimestamp('infinity')).toBe('infinity');
  });
});

describe('PostgreSQL source configuration', () => {
  it('parses a postgresql source with defaults', () => {
    const parsed = parseSources([
      {
        id: 'lab-db',
        kind: 'postgresql',
        url: 'postgres://weft_reader@db:5432/lab',
        password: { file: '/run/secrets/pg' },
      },
    ]);

    expect(parsed.problems).toEqual([]);
    expect(parsed.sources[0]).toEqual({
      id: 'lab-db',
      kind: 'postgresql',
      title: undefined,
      description: undefined,
      place: undefined,
      intervalSeconds: 300,
      enabled: true,
      url: 'postgres://weft_reader@db:5432/lab',
      username: undefined,
      password: { file: '/run/secrets/pg' },
      schemas: ['public'],
      caFile: undefined,
      maxTables: 1000,
    });
  });

  it('names each bad field and its fix', () => {
    const parsed = parseSources([
      { id: 'a', kind: 'postgresql', url: 'postgres://db:5432/' },
      { id: 'b', kind: 'postgresql', url: 'postgres://u:pw@db/lab' },
      { id: 'c', kind: 'postgresql', url: 'mysql://db/lab', password: 'clear' },
    ]);

    expect(parsed.problems.map((problem) => problem.message)).toEqual([
      'url="postgres://db:5432/" names no database: add it as the path (postgres://host:5432/lab)',
      'url contains a password: remove it from the URL and use the password field with a file or env reference',
      'url="mysql://db/lab" has scheme "mysql": use postgres or postgresql',
      'password is written in clear: use { file: /path/to/secret } or { env: VARIABLE } instead',
    ]);
  });
});

describe('PostgreSQL column types', () => {
  it('maps types to XSD', () => {
    expect(mapColumnType({ typeName: 'numeric', category: 'N' })).toEqual({
      xsdType: 'xsd:decimal',
      datatype: 'xsd:double',
      isTime: false,
    });
    expect(mapColumnType({ typeName: 'timestamptz', category: 'D' })).toEqual({
      xsdType: 'xsd:dateTimeStamp',
      datatype: 'xsd:dateTime',
      isTime: true,
    });
    expect(mapColumnType({ typeName: '_int4', category: 'A' })).toEqual({
      xsdType: 'rdf:JSON',
      datatype: 'rdf:JSON',
      isTime: false,
    });
    expect(mapColumnType({ typeName: 'geometry', category: 'U' })).toEqual({
      xsdType: 'xsd:string',
      datatype: 'xsd:string',
      isTime: false,
    });
  });

  it('finds units in comments', () => {
    expect(unitInComment('Reactor temperature [°C]')).toBe('°C');
    expect(unitInComment('Power (W).')).toBe('W');
    expect(unitInComment('Energy, unit: kWh')).toBe('kWh');
    expect(unitInComment('Operator name')).toBeUndefined();
  });
});
