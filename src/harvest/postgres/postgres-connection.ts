import { readFileSync } from 'node:fs';

import type { ClientConfig } from 'pg';
import { types as pgTypes } from 'pg';

import { resolveSecret } from '../../sources/secrets';
import type { PostgresSourceConfig } from '../../sources/source-config.types';

/** Host, port, database and user of a PostgreSQL source, read from its URL without the password. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  /** `sslmode` from the URL query, when given (`require`, `verify-full`, `disable`). */
  sslMode: string | undefined;
}

export interface PostgresConnectionOptions {
  /** Upper bound on every statement, enforced by the server (`statement_timeout`). */
  statementTimeoutMs: number;
  /** How long to wait for the TCP and TLS handshake. */
  connectTimeoutMs: number;
  /** Shown in `pg_stat_activity.application_name`, so the site's database administrator can tell Weft's sessions apart. */
  applicationName: string;
}

/** Type OIDs from `pg_type` whose text form Weft keeps instead of pg's default conversion. */
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const DATE_OID = 1082;
const INT8_OID = 20;

/** Read the parts of a `postgres://` URL; the parser has already checked its scheme and database. */
export function parsePostgresUrl(text: string): PostgresEndpoint {
  const url = new URL(text);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));

  return {
    host: decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '') || 'localhost',
    port: url.port === '' ? 5432 : Number(url.port),
    database,
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    sslMode: url.searchParams.get('sslmode') ?? undefined,
  };
}

/** Write the source's URL without user name, password and query, for messages and distributions. */
export function redactPostgresUrl(text: string): string {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return '(invalid url)';
  }
}

/**
 * Build the pg client settings for a source. Every session is read-only
 * (`default_transaction_read_only`), runs in UTC so timestamps come back
 * in one zone, and has a server-side statement timeout. The URL's parts are
 * passed one by one rather than as a connection string, because pg lets
 * a connection string's `sslmode` override the TLS settings given here.
 */
export function postgresClientConfig(
  config: PostgresSourceConfig,
  options: PostgresConnectionOptions,
): ClientConfig {
  const endpoint = parsePostgresUrl(config.url);
  const user = config.username ?? endpoint.user;
  const password = resolveSecret(config.password, `source ${config.id}`);

  return {
    host: endpoint.host,
    port: endpoint.port,
    database: endpoint.database,
    ...(user === undefined ? {} : { user }),
    ...(password === undefined ? {} : { password }),
    ssl: tlsSettings(config, endpoint),
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    options: '-c default_transaction_read_only=on -c TimeZone=UTC -c DateStyle=ISO',
    types: { getTypeParser: textPreservingTypeParser },
  };
}

/**
 * TLS with the site's CA when `caFile` is set; TLS with the system roots
 * when the URL's sslmode requires it; otherwise plain TCP, as libpq's default
 * `sslmode=prefer` would end up on a server without TLS.
 */
function tlsSettings(
  config: PostgresSourceConfig,
  endpoint: PostgresEndpoint,
): ClientConfig['ssl'] {
  if (config.caFile !== undefined) {
    let ca: string;
    try {
      ca = readFileSync(config.caFile, 'utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `source ${config.id}: cannot read caFile ${config.caFile} (${reason}); create it or fix the path`,
      );
    }
    return { ca, rejectUnauthorized: true };
  }

  const tlsModes = ['require', 'verify-ca', 'verify-full'];
  return endpoint.sslMode !== undefined && tlsModes.includes(endpoint.sslMode)
    ? { rejectUnauthorized: true }
    : false;
}

/**
 * Keep timestamps and dates as the server's ISO text (microseconds intact)
 * and turn int8 into a number only when it fits exactly in a double.
 */
function textPreservingTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case TIMESTAMPTZ_OID:
      return isoTimestamp;
    case TIMESTAMP_OID:
      return (value: string) => value.replace(' ', 'T');
    case DATE_OID:
      return (value: string) => value;
    case INT8_OID:
      return int8Value;
    default:
      return pgTypes.getTypeParser(oid, format === 'binary' ? 'binary' : 'text') as (
        value: string,
      ) => unknown;
  }
}

/** `2024-03-01 10:00:00.5+00` (DateStyle ISO, TimeZone UTC) to RFC 3339 `2024-03-01T10:00:00.5Z`. */
export function isoTimestamp(value: string): string {
  if (value === 'infinity' || value === '-infinity') {
    return value;
  }
  return value.replace(' ', 'T').replace(/\+00(:00)?$/, 'Z');
}

function int8Value(value: string): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}
