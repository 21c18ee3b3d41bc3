import { AbortError, HttpError, RequestTimedOutError } from '@influxdata/influxdb-client';
import type { ParameterizedQuery, QueryApi } from '@influxdata/influxdb-client';

import {
  InfluxHarvestError,
  describeError,
  isErrorLike,
  printableExcerpt,
  networkErrorFix,
} from './influx-harvest.error';

/** One row of a Flux result, with the table it came from and its column types. */
export interface FluxRow {
  /** The `result` column: the name given to `yield()`, `_result` when none was given. */
  result: string;
  table: number;
  values: Record<string, unknown>;
  /** Annotated CSV datatypes by column (`double`, `long`, `string`, `dateTime:RFC3339`). */
  types: Record<string, string>;
}

/**
 * Run a Flux query and collect its rows. The client gives queries no
 * AbortSignal, so the signal cancels the running request through the
 * observer's cancellable.
 */
export function runFluxQuery(
  queryApi: QueryApi,
  query: ParameterizedQuery,
  signal: AbortSignal,
  url: string,
): Promise<FluxRow[]> {
  if (signal.aborted) {
    return Promise.reject(new InfluxHarvestError('aborted', `POST ${url} was aborted`, url));
  }

  return new Promise<FluxRow[]>((resolve, reject) => {
    const rows: FluxRow[] = [];
    let cancel: (() => void) | undefined;
    const onAbort = (): void => {
      cancel?.();
      reject(new InfluxHarvestError('aborted', `POST ${url} was aborted`, url));
    };
    signal.addEventListener('abort', onAbort, { once: true });

    queryApi.queryRows(query, {
      next(row, tableMeta) {
        const values = tableMeta.toObject(row);
        const types: Record<string, string> = {};
        for (const column of tableMeta.columns) {
          types[column.label] = column.dataType;
        }
        rows.push({
          result: String(values.result ?? '_result'),
          table: Number(values.table ?? 0),
          values,
          types,
        });
      },
      error(error) {
        signal.removeEventListener('abort', onAbort);
        reject(toInfluxError(error, 'POST', url));
      },
      complete() {
        signal.removeEventListener('abort', onAbort);
        resolve(rows);
      },
      useCancellable(cancellable) {
        cancel = () => cancellable.cancel();
      },
    });
  });
}

/** Map an error of @influxdata/influxdb-client to an InfluxHarvestError whose message names the URL. */
export function toInfluxError(error: unknown, method: string, url: string): InfluxHarvestError {
  if (error instanceof InfluxHarvestError) {
    return error;
  }

  if (error instanceof HttpError) {
    const detail = httpErrorDetail(error);
    if (error.statusCode === 401 || error.statusCode === 403) {
      return new InfluxHarvestError(
        'auth-failed',
        `InfluxDB at ${url} rejected the token (HTTP ${error.statusCode}${detail}); check the API token and ` +
          'that it may read the buckets',
        url,
        error.statusCode,
      );
    }
    return new InfluxHarvestError(
      error.statusCode === 400 ? 'query-failed' : 'http-status',
      `${method} ${url} returned HTTP ${error.statusCode}${detail}`,
      url,
      error.statusCode,
    );
  }

  // The client parses a JSON content type itself, so truncated JSON surfaces as a SyntaxError.
  if (isErrorLike(error) && error.name === 'SyntaxError') {
    return new InfluxHarvestError(
      'invalid-response',
      `${method} ${url} returned a body that is not valid JSON (${error.message}); check that the url ` +
        'points at the InfluxDB 2 API and not at a proxy or another service',
      url,
    );
  }

  if (error instanceof RequestTimedOutError) {
    return new InfluxHarvestError(
      'timeout',
      `${method} ${url} timed out; check that the server is reachable or raise the request timeout`,
      url,
    );
  }
  if (error instanceof AbortError) {
    return new InfluxHarvestError('aborted', `${method} ${url} was aborted`, url);
  }

  return new InfluxHarvestError(
    'network',
    `${method} ${url} failed: ${describeError(error)}; ${networkErrorFix(error)}`,
    url,
    undefined,
    { cause: error },
  );
}

function httpErrorDetail(error: HttpError): string {
  const text = error.body ?? '';
  let message = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      message = String(parsed.message);
    }
  } catch {
    // The body is not JSON (an HTML error page); its first characters are shown.
  }

  const excerpt = printableExcerpt(message);
  return excerpt === '' ? '' : `: ${excerpt}`;
}
