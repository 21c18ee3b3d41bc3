import type { JsonRecord } from '../common/json';
import type { TableColumnSchema } from '../fabric/catalog/query-target';
import type { ObservationRequest } from '../fabric/influx/observations.service';
import type { ObservationQuery, TagFilter } from '../fabric/influx/observation-plan';
import type { SeriesJoinRequest } from '../fabric/join/series-join.service';
import type { RowFilter, RowOrder, RowQuery } from '../fabric/postgres/row-plan';
import type { RowRequest } from '../fabric/postgres/rows.service';
import type { FabricOperation } from '../fabric/provenance/fabric-query.entity';
import type { CellValue } from '../fabric/frame';

/**
 * The origin of a derived dataset, kept in its `details.derivation`: the
 * query activity that generated it, the validated query, its execution time
 * and the checksum of its result. The RDA recommendations on citing dynamic
 * data ask for these (query store, timestamp, result verification).
 */
export interface Derivation {
  /** Persistent identifier of the query activity (prov:wasGeneratedBy). */
  activity: string;
  operation: FabricOperation;
  /** When the query started: the data as it was then is the data cited. */
  executedAt: string;
  /** Persistent identifiers of the input datasets (prov:wasDerivedFrom). */
  inputs: string[];
  /** The validated query as the activity recorded it. */
  query: JsonRecord;
  /** SHA-256 (hex) of the canonical JSON of the result. */
  resultChecksum: string;
  rowCount: number;
  savedBy: string;
}

/** Read a dataset's derivation from its details; undefined for harvested datasets. */
export function derivationOf(details: JsonRecord): Derivation | undefined {
  const value = details.derivation;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  return value as unknown as Derivation;
}

/** A re-execution request, and whether later writes are kept out of its result. */
export interface BoundedRequest<T> {
  request: T;
  /** True when every source of the query is bounded by the execution time. */
  timeBounded: boolean;
  /** The reason the result may differ from the cited one; null when it is time-bounded. */
  note: string | null;
}

/**
 * Rebuild an observation query so that it reads only points up to the
 * execution time: its `to` becomes the earlier of its own `to` and the
 * execution time. InfluxDB has no record of when a point was written, so
 * this leaves out points written later with later timestamps, but not
 * points written later with earlier timestamps (back-filled data).
 */
export function boundedObservationRequest(
  query: JsonRecord,
  executedAt: Date,
): BoundedRequest<ObservationRequest> {
  const from = new Date(textOf(query.from, 'from'));
  if (from.getTime() >= executedAt.getTime()) {
    // No range can end at the execution time here; points stamped ahead of their writing stay unbounded.
    return {
      request: {
        query: boundedObservationQuery(query, new Date(textOf(query.to, 'to'))),
        limit: numberOf(query.limit),
        budget: budgetOf(query.budget),
      },
      timeBounded: false,
      note: `the query's range starts at ${from.toISOString()}, after it ran: it is read as it is now, so points written since with times in that range change the result`,
    };
  }
  return {
    request: {
      query: boundedObservationQuery(query, executedAt),
      limit: numberOf(query.limit),
      budget: budgetOf(query.budget),
    },
    timeBounded: true,
    note: null,
  };
}

function boundedObservationQuery(query: JsonRecord, executedAt: Date): ObservationQuery {
  const to = new Date(textOf(query.to, 'to'));
  return {
    from: new Date(textOf(query.from, 'from')),
    to: to.getTime() > executedAt.getTime() ? executedAt : to,
    fields: (query.fields as string[] | null | undefined) ?? null,
    tagFilters: (query.tagFilters as TagFilter[] | null | undefined) ?? null,
    aggregation: (query.aggregation as ObservationQuery['aggregation']) ?? null,
    window: (query.window as string | null | undefined) ?? null,
    fill:
      (query.window ?? null) === null ? null : ((query.fill as ObservationQuery['fill']) ?? null),
    fillValue: (query.fillValue as number | null | undefined) ?? null,
  };
}

/**
 * Rebuild a row query. When the table has a time column that is never
 * null, rows whose time is after the execution time are left out, which
 * keeps out rows added later with a current time. Without one, the table is
 * read as it is now and the result may differ.
 */
export function boundedRowRequest(
  query: JsonRecord,
  executedAt: Date,
  tableName: string,
  columns: Iterable<TableColumnSchema>,
): BoundedRequest<RowRequest> {
  const bounded = boundedRowQuery(query, executedAt, tableName, columns);
  return {
    request: { query: bounded.query, limit: numberOf(query.limit), budget: budgetOf(query.budget) },
    timeBounded: bounded.timeBounded,
    note: bounded.note,
  };
}

function boundedRowQuery(
  query: JsonRecord,
  executedAt: Date,
  tableName: string,
  columns: Iterable<TableColumnSchema>,
): { query: RowQuery; timeBounded: boolean; note: string | null } {
  const filters = ((query.filters as JsonRecord[] | undefined) ?? []).map(toRowFilter);
  const timeColumn = [...columns].find(
    (column) => !column.nullable && ['xsd:dateTimeStamp', 'xsd:dateTime'].includes(column.xsdType),
  );
  const rowQuery: RowQuery = {
    columns: (query.columns as string[] | undefined) ?? null,
    filters,
    orderBy: (query.orderBy as unknown as RowOrder[] | undefined) ?? null,
  };
  if (timeColumn === undefined) {
    return {
      query: rowQuery,
      timeBounded: false,
      note: `table ${tableName} has no time column that is never null, so it is read as it is now: rows added, changed or deleted since the query ran change the result`,
    };
  }
  filters.push({ column: timeColumn.name, op: 'lte', value: executedAt.toISOString() });
  return {
    query: rowQuery,
    timeBounded: true,
    note: `rows of table ${tableName} are bounded by ${timeColumn.name} <= ${executedAt.toISOString()}; rows changed in place since then still change the result`,
  };
}

/**
 * Rebuild a join: its table side as {@link boundedRowRequest} does, and its
 * series side up to the execution time, so a row whose window is open (no
 * end) reads the series only up to when the query ran.
 */
export function boundedJoinRequest(
  query: JsonRecord,
  executedAt: Date,
  tableName: string,
  columns: Iterable<TableColumnSchema>,
): BoundedRequest<SeriesJoinRequest> {
  const rows = (query.rows as JsonRecord | undefined) ?? {};
  const observations = (query.observations as JsonRecord | undefined) ?? {};
  const bounds = (query.bounds as { from: string | null; to: string | null } | undefined) ?? {
    from: null,
    to: null,
  };
  const table = boundedRowQuery(rows, executedAt, tableName, columns);
  const key = query.key as { column: string; tag: string } | null | undefined;
  const to =
    bounds.to !== null && Date.parse(bounds.to) < executedAt.getTime()
      ? new Date(bounds.to)
      : executedAt;
  const observationQuery = boundedObservationQuery(
    { ...observations, from: bounds.from ?? new Date(0).toISOString(), to: to.toISOString() },
    executedAt,
  );

  const request: SeriesJoinRequest = {
    series: textOf(query.series, 'series'),
    mode: query.mode === 'tagKey' ? 'tagKey' : 'timeWindow',
    startColumn: (query.startColumn as string | undefined) ?? null,
    endColumn: (query.endColumn as string | null | undefined) ?? null,
    keyColumn: (query.keyColumn as string | undefined) ?? key?.column ?? null,
    tag: (query.tag as string | undefined) ?? key?.tag ?? null,
    rows: { ...table.query, limit: numberOf(rows.limit) },
    observations: {
      fields: observationQuery.fields ?? null,
      tagFilters: observationQuery.tagFilters ?? null,
      aggregation: observationQuery.aggregation ?? null,
      window: observationQuery.window ?? null,
      fill: observationQuery.fill ?? null,
      fillValue: observationQuery.fillValue ?? null,
      from: bounds.from === null ? null : new Date(bounds.from),
      to,
      limitPerRow: numberOf(observations.limitPerRow),
    },
    budget: budgetOf(query.budget),
  };
  return { request, timeBounded: table.timeBounded, note: table.timeBounded ? null : table.note };
}

/**
 * Describe where the page a stored query returned starts (`after time …` for
 * raw observations, `offset …` otherwise), or return null for a first page.
 * Only first pages can be cited, because later ones need their cursor.
 */
export function laterPageOf(operation: FabricOperation, query: JsonRecord): string | null {
  if (typeof query.afterTime === 'string') {
    return `after time ${query.afterTime}`;
  }
  const source =
    operation === 'joinSeries' ? ((query.rows as JsonRecord | undefined) ?? {}) : query;
  const offset = numberOf(source.offset) ?? 0;
  return offset > 0 ? `offset ${offset}` : null;
}

function toRowFilter(filter: JsonRecord): RowFilter {
  const op = filter.op as RowFilter['op'];
  if (op === 'in') {
    return {
      column: textOf(filter.column, 'filters.column'),
      op,
      values: filter.value as CellValue[],
    };
  }
  return { column: textOf(filter.column, 'filters.column'), op, value: filter.value as CellValue };
}

/** Read a text member of a stored query; a stored query without it was not written by Weft. */
export function textOf(value: unknown, member: string): string {
  if (typeof value !== 'string') {
    throw new Error(
      `stored query has no text member ${member}: it was not recorded by this version of Weft`,
    );
  }
  return value;
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function budgetOf(value: unknown): { maxRows?: number | null; timeoutMs?: number | null } | null {
  if (value === null || typeof value !== 'object') {
    return null;
  }
  const budget = value as { maxRows?: unknown; timeoutMs?: unknown };
  return { maxRows: numberOf(budget.maxRows), timeoutMs: numberOf(budget.timeoutMs) };
}
