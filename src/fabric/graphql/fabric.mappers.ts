import type { ObservationPage, ObservationRequest } from '../influx/observations.service';
import type { SeriesJoinPage, SeriesJoinRequest } from '../join/series-join.service';
import type { RowPage, RowRequest } from '../postgres/rows.service';
import type { PushedDownQuery as PushedDownFacts } from '../frame';
import type { FabricQueryEntity } from '../provenance/fabric-query.entity';
import type {
  ObservationQueryInput,
  RowQueryInput,
  SeriesJoinInput,
  TagFilterInput,
} from './fabric.inputs';
import type { DataFrame, DataQueryRecord, PushedDownQuery, SeriesJoin } from './fabric.types';

export function toObservationRequest(input: ObservationQueryInput): ObservationRequest {
  return {
    query: {
      from: input.from,
      to: input.to,
      fields: input.fields ?? null,
      tagFilters: toTagFilters(input.tagFilters),
      aggregation: input.aggregation ?? null,
      window: input.window ?? null,
      fill: input.fill ?? null,
      fillValue: input.fillValue ?? null,
    },
    limit: input.limit ?? null,
    after: input.after ?? null,
    budget: input.budget ?? null,
  };
}

export function toRowRequest(input: RowQueryInput): RowRequest {
  return {
    query: {
      columns: input.columns ?? null,
      filters: (input.filters ?? []).map((filter) => ({
        column: filter.column,
        op: filter.op,
        ...(filter.value === undefined ? {} : { value: filter.value }),
        values: filter.values ?? null,
      })),
      orderBy: (input.orderBy ?? []).map((order) => ({
        column: order.column,
        direction: order.direction,
      })),
    },
    limit: input.limit ?? null,
    after: input.after ?? null,
    budget: input.budget ?? null,
  };
}

export function toSeriesJoinRequest(input: SeriesJoinInput): SeriesJoinRequest {
  const rows = input.rows ?? null;
  const rowRequest = rows === null ? null : toRowRequest(rows);
  const observations = input.observations;
  return {
    series: input.series,
    mode: input.mode,
    startColumn: input.startColumn ?? null,
    endColumn: input.endColumn ?? null,
    keyColumn: input.keyColumn ?? null,
    tag: input.tag ?? null,
    rows:
      rowRequest === null
        ? null
        : { ...rowRequest.query, limit: rowRequest.limit ?? null, after: rowRequest.after ?? null },
    observations: {
      fields: observations.fields ?? null,
      tagFilters: toTagFilters(observations.tagFilters),
      aggregation: observations.aggregation ?? null,
      window: observations.window ?? null,
      fill: observations.fill ?? null,
      fillValue: observations.fillValue ?? null,
      from: observations.from ?? null,
      to: observations.to ?? null,
      limitPerRow: observations.limitPerRow ?? null,
    },
    budget: input.budget ?? null,
  };
}

export function toDataFrame(page: ObservationPage | RowPage): DataFrame {
  return {
    activityId: page.activityPid,
    columns: page.columns,
    rows: page.rows,
    rowCount: page.rows.length,
    checksum: page.checksum,
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    pushedDown: page.pushedDown.map(toPushedDown),
  };
}

export function toSeriesJoin(page: SeriesJoinPage): SeriesJoin {
  return {
    activityId: page.activityPid,
    columns: page.columns,
    seriesColumns: page.seriesColumns,
    rows: page.rows,
    rowCount: page.rows.length,
    pointCount: page.pointCount,
    checksum: page.checksum,
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    pushedDown: page.pushedDown.map(toPushedDown),
  };
}

export function toDataQueryRecord(entity: FabricQueryEntity): DataQueryRecord {
  return {
    id: entity.pid,
    operation: entity.operation,
    status: entity.status,
    requestedBy: entity.requestedBy,
    startedAt: entity.startedAt,
    endedAt: entity.endedAt,
    datasets: entity.datasets,
    sources: entity.sources,
    query: entity.input,
    rowCount: entity.rowCount,
    resultChecksum: entity.resultChecksum,
    error: entity.error,
    pushedDown: (entity.pushedDown as unknown as PushedDownFacts[]).map(toPushedDown),
    prov: entity.prov,
  };
}

function toPushedDown(query: PushedDownFacts): PushedDownQuery {
  return {
    source: query.sourcePid,
    language: query.language,
    statement: query.statement,
    parameters: query.params,
    rowCount: query.rowCount,
  };
}

function toTagFilters(
  filters: TagFilterInput[] | null | undefined,
): ObservationRequest['query']['tagFilters'] {
  return (filters ?? []).map((filter) => ({
    tag: filter.tag,
    op: filter.op,
    values: filter.values,
  }));
}
