import { linesToTables, stringToLines } from '@influxdata/influxdb-client';

import { readCaFile, sendHttpRequest } from '../../harvest/influx/http-transport';
import { InfluxHarvestError } from '../../harvest/influx/influx-harvest.error';
import { apiUrl, parseBaseUrl, redactUrl } from '../../harvest/influx/influx-url';
import { bodyExcerpt, errorMessageFromBody } from '../../harvest/influx/influxql-response';
import type { FluxStatement } from './flux-observation.query';

export interface FluxHttpClientOptions {
  url: string;
  org: string;
  token: string | undefined;
  caFile?: string;
  /** Largest accepted response body in bytes; default 256 MiB. */
  maxResponseBytes?: number;
}

/** The annotated-CSV dialect the client asks for (InfluxDB v2 API, `Dialect` schema). */
const DIALECT = {
  header: true,
  delimiter: ',',
  annotations: ['datatype', 'group', 'default'],
  commentPrefix: '#',
  dateTimeFormat: 'RFC3339',
};

/**
 * Sends Flux to POST /api/v2/query with its values in the request's
 * `params` object, which @influxdata/influxdb-client cannot send (its
 * parameterized queries are spliced into the text). Rows come back as
 * objects typed by the annotated CSV's datatype row.
 */
export class FluxHttpClient {
  private readonly baseUrl: URL;
  private readonly ca: string | undefined;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: FluxHttpClientOptions) {
    this.baseUrl = parseBaseUrl(options.url, 'Flux client');
    this.ca = options.caFile === undefined ? undefined : readCaFile(options.caFile);
    this.maxResponseBytes = options.maxResponseBytes ?? 256 * 1024 * 1024;
  }

  async query(
    statement: FluxStatement,
    options: { signal: AbortSignal; timeoutMs: number; now?: string },
  ): Promise<Array<Record<string, unknown>>> {
    const url = apiUrl(this.baseUrl, '/api/v2/query');
    url.searchParams.set('org', this.options.org);
    const body: Record<string, unknown> = {
      query: statement.query,
      params: statement.params,
      type: 'flux',
      dialect: DIALECT,
    };
    if (options.now !== undefined) {
      body.now = options.now;
    }

    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/csv',
    };
    if (this.options.token !== undefined) {
      headers.authorization = `Token ${this.options.token}`;
    }

    const response = await sendHttpRequest({
      url,
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      ca: this.ca,
      maxBodyBytes: this.maxResponseBytes,
    });

    if (response.status !== 200) {
      const where = redactUrl(url);
      const message = errorMessageFromBody(response.body) ?? bodyExcerpt(response.body);
      const code =
        response.status === 401 || response.status === 403 ? 'auth-failed' : 'query-failed';
      throw new InfluxHarvestError(
        code,
        `InfluxDB at ${where} rejected the Flux query (HTTP ${response.status}${message === '' ? '' : `: ${message}`})`,
        where,
        response.status,
      );
    }
    return parseAnnotatedCsv(response.body.toString('utf8'));
  }
}

/** Parse annotated CSV into row objects, with values converted by their column datatype. */
export function parseAnnotatedCsv(text: string): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  let failure: Error | undefined;

  stringToLines(
    text,
    linesToTables({
      next(row, tableMeta) {
        rows.push(tableMeta.toObject(row));
      },
      error(error) {
        failure = error;
      },
      complete() {},
    }),
  );

  if (failure !== undefined) {
    throw new InfluxHarvestError(
      'invalid-response',
      `the Flux response is not valid annotated CSV: ${failure.message}`,
    );
  }
  return rows;
}
