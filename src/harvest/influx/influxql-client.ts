import { readCaFile, sendHttpRequest } from './http-transport';
import type { HttpResponse } from './http-transport';
import { InfluxHarvestError } from './influx-harvest.error';
import { apiUrl, parseBaseUrl, redactUrl } from './influx-url';
import { bodyExcerpt, errorMessageFromBody, parseInfluxqlBody } from './influxql-response';
import type { InfluxqlStatementResult } from './influxql-response';

/**
 * Credentials for the v1-compatible API. InfluxDB 1.x takes a user name and
 * password; InfluxDB 2.x and 3 also take an API token in
 * `Authorization: Token ...`.
 */
export type InfluxqlAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'token'; token: string };

export interface InfluxqlClientOptions {
  /** Base URL of the HTTP API (`http://host:8086`); a path prefix is kept. */
  url: string;
  auth: InfluxqlAuth;
  /** PEM file with the CA certificates that sign the server's TLS certificate. */
  caFile?: string;
  /** Per-request timeout in milliseconds; default 30 000. */
  timeoutMs?: number;
  /** Largest accepted response body in bytes; default 64 MiB. */
  maxResponseBytes?: number;
}

/** A bound parameter value; InfluxQL reads `$name` in the statement. */
export type InfluxqlParam = string | number | boolean;

export interface InfluxqlQueryOptions {
  /** The `db` parameter: the database that unqualified measurements belong to. */
  database?: string;
  /** Values for `$name` placeholders, sent as the JSON `params` parameter, never spliced into the text. */
  params?: Record<string, InfluxqlParam>;
  /** POST is required for statements that change the server (CREATE, DROP, GRANT). */
  method?: 'GET' | 'POST';
  /** Timestamps as integers in this unit; RFC3339 strings when unset (nanoseconds lose precision in JSON numbers). */
  epoch?: 'ns' | 'u' | 'ms' | 's' | 'm' | 'h';
  /** Ask for an uncompressed response; worth it when the result is known to be small. */
  uncompressed?: boolean;
  signal: AbortSignal;
}

export interface InfluxServerInfo {
  /** `X-Influxdb-Version` (`1.6.7~rc0`, `v2.7.4`, `3.0.1`), when the server sends it. */
  version?: string;
  /** `X-Influxdb-Build` (`OSS`, `Enterprise`). */
  build?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A small client for the InfluxQL `/query`, `/write` and `/ping` endpoints. */
export class InfluxqlClient {
  readonly baseUrl: URL;
  private readonly auth: InfluxqlAuth;
  private readonly ca: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: InfluxqlClientOptions) {
    this.baseUrl = parseBaseUrl(options.url, 'InfluxQL client');
    this.auth = options.auth;
    this.ca = options.caFile === undefined ? undefined : readCaFile(options.caFile);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** Return the `/query` URL for a database without credentials, for a distribution's access URL. */
  queryUrl(database?: string): string {
    const url = apiUrl(this.baseUrl, '/query');
    if (database !== undefined) {
      url.searchParams.set('db', database);
    }
    return url.toString();
  }

  /** Check that the server responds and read its version from the `/ping` headers. */
  async ping(signal: AbortSignal): Promise<InfluxServerInfo> {
    const url = apiUrl(this.baseUrl, '/ping');
    const response = await this.send(url, 'GET', undefined, undefined, signal);

    if (response.status !== 204 && response.status !== 200) {
      throw this.statusError(url, response);
    }
    return serverInfo(response);
  }

  /**
   * Run one or more statements (separated by `;`) and return one result per
   * statement. HTTP and body errors throw `InfluxHarvestError`; a statement
   * that fails comes back with `error` set, so the caller decides.
   */
  async query(
    statement: string,
    options: InfluxqlQueryOptions,
  ): Promise<{ results: InfluxqlStatementResult[]; server: InfluxServerInfo }> {
    const url = apiUrl(this.baseUrl, '/query');
    const form = new URLSearchParams();
    form.set('q', statement);
    if (options.database !== undefined) {
      form.set('db', options.database);
    }
    if (options.epoch !== undefined) {
      form.set('epoch', options.epoch);
    }
    if (options.params !== undefined && Object.keys(options.params).length > 0) {
      form.set('params', JSON.stringify(options.params));
    }

    const method = options.method ?? 'GET';
    let response: HttpResponse;
    if (method === 'GET') {
      url.search = form.toString();
      response = await this.send(url, 'GET', undefined, undefined, options.signal, options);
    } else {
      response = await this.send(
        url,
        'POST',
        form.toString(),
        'application/x-www-form-urlencoded',
        options.signal,
        options,
      );
    }

    if (response.status !== 200) {
      throw this.statusError(url, response);
    }

    const results = parseInfluxqlBody(response.body, {
      url: redactUrl(url),
      status: response.status,
      contentType: response.headers.get('content-type'),
    });
    return { results, server: serverInfo(response) };
  }

  /**
   * Run several statements in one request and return one result per
   * statement, in order. InfluxDB stops at the first failing statement, and
   * the rest come back as `not executed` or not at all. It rejects the whole
   * request when one statement does not parse. So after a failure, each
   * statement without a result runs alone to get its own result or error.
   */
  async queryEach(
    statements: string[],
    options: InfluxqlQueryOptions,
  ): Promise<InfluxqlStatementResult[]> {
    if (statements.length === 0) {
      return [];
    }

    let batch: InfluxqlStatementResult[] = [];
    try {
      batch = (await this.query(statements.join(';\n'), options)).results;
    } catch (error) {
      if (!(error instanceof InfluxHarvestError && error.code === 'query-failed')) {
        throw error;
      }
    }

    const outcomes: InfluxqlStatementResult[] = [];
    for (const [index, statement] of statements.entries()) {
      const result = batch.find((candidate) => candidate.statementId === index);
      if (result !== undefined && result.error === undefined) {
        outcomes.push(result);
      } else {
        outcomes.push({ ...(await this.querySingle(statement, options)), statementId: index });
      }
    }
    return outcomes;
  }

  /** Write line protocol to a database through `/write`; precision defaults to nanoseconds. */
  async write(
    database: string,
    lines: string | Uint8Array,
    options: {
      precision?: 'ns' | 'u' | 'ms' | 's' | 'm' | 'h';
      retentionPolicy?: string;
      signal: AbortSignal;
    },
  ): Promise<void> {
    const url = apiUrl(this.baseUrl, '/write');
    url.searchParams.set('db', database);
    url.searchParams.set('precision', options.precision ?? 'ns');
    if (options.retentionPolicy !== undefined) {
      url.searchParams.set('rp', options.retentionPolicy);
    }

    const response = await this.send(
      url,
      'POST',
      lines,
      'text/plain; charset=utf-8',
      options.signal,
    );
    if (response.status !== 204 && response.status !== 200) {
      throw this.statusError(url, response);
    }
  }

  private async querySingle(
    statement: string,
    options: InfluxqlQueryOptions,
  ): Promise<InfluxqlStatementResult> {
    try {
      const { results } = await this.query(statement, options);
      return results[0] ?? { statementId: 0, series: [] };
    } catch (error) {
      if (error instanceof InfluxHarvestError && error.code === 'query-failed') {
        return { statementId: 0, series: [], error: error.message };
      }
      throw error;
    }
  }

  private async send(
    url: URL,
    method: 'GET' | 'POST',
    body: string | Uint8Array | undefined,
    contentType: string | undefined,
    signal: AbortSignal,
    options: { uncompressed?: boolean } = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (contentType !== undefined) {
      headers['content-type'] = contentType;
    }

    const authorization = authorizationHeader(this.auth);
    if (authorization !== undefined) {
      headers.authorization = authorization;
    }

    return sendHttpRequest({
      url,
      method,
      headers,
      body,
      signal,
      timeoutMs: this.timeoutMs,
      ca: this.ca,
      maxBodyBytes: this.maxResponseBytes,
      uncompressed: options.uncompressed,
    });
  }

  private statusError(url: URL, response: HttpResponse): InfluxHarvestError {
    const where = redactUrl(url);
    const serverMessage = errorMessageFromBody(response.body) ?? bodyExcerpt(response.body);
    const detail = serverMessage === '' ? '' : `: ${serverMessage}`;

    if (response.status === 401 || response.status === 403) {
      const fix =
        this.auth.kind === 'token'
          ? 'check the API token'
          : 'check the user name and password and that the user may read the database';
      return new InfluxHarvestError(
        'auth-failed',
        `InfluxDB at ${where} rejected the credentials (HTTP ${response.status}${detail}); ${fix}`,
        where,
        response.status,
      );
    }

    if (response.status === 400 && errorMessageFromBody(response.body) !== undefined) {
      return new InfluxHarvestError(
        'query-failed',
        `InfluxDB at ${where} rejected the request (HTTP 400${detail})`,
        where,
        response.status,
      );
    }

    return new InfluxHarvestError(
      'http-status',
      `InfluxDB at ${where} returned HTTP ${response.status}${detail}`,
      where,
      response.status,
    );
  }
}

function authorizationHeader(auth: InfluxqlAuth): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'token':
      return `Token ${auth.token}`;
  }
}

function serverInfo(response: HttpResponse): InfluxServerInfo {
  const info: InfluxServerInfo = {};
  const version = response.headers.get('x-influxdb-version');
  const build = response.headers.get('x-influxdb-build');
  if (version !== undefined) {
    info.version = version;
  }
  if (build !== undefined) {
    info.build = build;
  }
  return info;
}
