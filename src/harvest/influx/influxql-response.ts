import { InfluxHarvestError, printableExcerpt } from './influx-harvest.error';

/** One series of an InfluxQL result: a measurement (or `measurements`, `databases`) with rows. */
export interface InfluxqlSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  /** Rows; each has one cell per column. Empty when the series has no values. */
  values: unknown[][];
}

/** The outcome of one statement of an InfluxQL request. */
export interface InfluxqlStatementResult {
  statementId: number;
  series: InfluxqlSeries[];
  /** The server's error for this statement (`database not found: x`), when it failed. */
  error?: string;
}

/** Request facts that error messages about a response body name. */
interface ResponseContext {
  url: string;
  status: number;
  contentType: string | undefined;
}

/**
 * Validate the JSON body of a `/query` response (InfluxDB 1.x, and the
 * v1-compatible API of 2.x and 3) and return its statement results. Anything
 * else (HTML from a proxy, truncated JSON, a different shape) becomes an
 * `invalid-response` error that names the URL and the HTTP status.
 */
export function parseInfluxqlBody(
  body: Buffer,
  context: ResponseContext,
): InfluxqlStatementResult[] {
  const document = parseJson(body, context);

  if (!isRecord(document)) {
    throw invalid(context, 'the body is JSON but not an object');
  }

  if (typeof document.error === 'string') {
    throw new InfluxHarvestError(
      'query-failed',
      `InfluxDB at ${context.url} rejected the query: ${document.error}`,
      context.url,
      context.status,
    );
  }

  if (!Array.isArray(document.results)) {
    throw invalid(context, 'the body has no "results" array');
  }

  return document.results.map((result, index) => parseStatementResult(result, index, context));
}

/** Pull the server's message out of an error body: `{"error": ...}` (1.x) or `{"code", "message"}` (2.x). */
export function errorMessageFromBody(body: Buffer): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }

  if (!isRecord(document)) {
    return undefined;
  }
  if (typeof document.error === 'string') {
    return document.error;
  }
  if (typeof document.message === 'string') {
    return document.message;
  }
  return undefined;
}

/** Return the first characters of a body, with control characters as spaces, for error messages. */
export function bodyExcerpt(body: Buffer): string {
  return printableExcerpt(body.subarray(0, 4096).toString('utf8'));
}

function parseJson(body: Buffer, context: ResponseContext): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(context, `the body is not valid JSON (${reason}): "${bodyExcerpt(body)}"`);
  }
}

function parseStatementResult(
  result: unknown,
  index: number,
  context: ResponseContext,
): InfluxqlStatementResult {
  if (!isRecord(result)) {
    throw invalid(context, `results[${index}] is not an object`);
  }

  const statementId = typeof result.statement_id === 'number' ? result.statement_id : index;
  const parsed: InfluxqlStatementResult = { statementId, series: [] };

  if (typeof result.error === 'string') {
    parsed.error = result.error;
  }

  if (result.series !== undefined) {
    if (!Array.isArray(result.series)) {
      throw invalid(context, `results[${index}].series is not an array`);
    }
    parsed.series = result.series.map((series, seriesIndex) =>
      parseSeries(series, `results[${index}].series[${seriesIndex}]`, context),
    );
  }

  return parsed;
}

function parseSeries(series: unknown, path: string, context: ResponseContext): InfluxqlSeries {
  if (!isRecord(series)) {
    throw invalid(context, `${path} is not an object`);
  }

  const columns = series.columns;
  if (!Array.isArray(columns) || !columns.every((column) => typeof column === 'string')) {
    throw invalid(context, `${path}.columns is not an array of strings`);
  }

  const values = series.values ?? [];
  if (!Array.isArray(values)) {
    throw invalid(context, `${path}.values is not an array`);
  }
  for (const [rowIndex, row] of values.entries()) {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw invalid(context, `${path}.values[${rowIndex}] does not have one cell per column`);
    }
  }

  const parsed: InfluxqlSeries = { columns, values: values as unknown[][] };
  if (typeof series.name === 'string') {
    parsed.name = series.name;
  }
  if (isRecord(series.tags)) {
    parsed.tags = stringRecord(series.tags);
  }
  return parsed;
}

function stringRecord(record: Record<string, unknown>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    strings[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return strings;
}

function invalid(context: ResponseContext, reason: string): InfluxHarvestError {
  const type = context.contentType ?? 'no content type';
  return new InfluxHarvestError(
    'invalid-response',
    `InfluxDB at ${context.url} returned HTTP ${context.status} (${type}) with an unexpected body: ${reason}; ` +
      'check that the url points at the InfluxDB HTTP API and not at a proxy or another service',
    context.url,
    context.status,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
