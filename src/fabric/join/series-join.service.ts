import { Inject, Injectable } from '@nestjs/common';

import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { Viewer } from '../../auth/viewer';
import { FabricCatalog } from '../catalog/fabric-catalog.service';
import type { MeasurementTarget, TableTarget } from '../catalog/query-target';
import { decodeCursor, queryFingerprint } from '../cursor';
import { QueryDeadline } from '../deadline';
import { FabricError } from '../fabric.error';
import { budgetOf, FABRIC_SETTINGS_TOKEN } from '../fabric-settings';
import type { FabricSettings, QueryBudget } from '../fabric-settings';
import type { CellValue, FrameColumn, PushedDownQuery } from '../frame';
import { FabricQueryRunner } from '../fabric-query.runner';
import type { QueryTrace } from '../fabric-query.runner';
import { InfluxObservationRunner } from '../influx/influx-observation.runner';
import type { SeriesSlice } from '../influx/influxql-observation.query';
import { describePlan } from '../influx/observations.service';
import { planObservations } from '../influx/observation-plan';
import type { ObservationPlan, ObservationQuery } from '../influx/observation-plan';
import { pageByOffset } from '../paging';
import { describeRowPlan, RowsService } from '../postgres/rows.service';
import { columnOf, planRows } from '../postgres/row-plan';
import type { RowPlan, RowQuery } from '../postgres/row-plan';
import { fromNanoseconds, toNanoseconds } from '../time-bounds';
import { joinSlices } from './join-slices';
import type { JoinSpec } from './join-slices';

export type JoinMode = 'timeWindow' | 'tagKey';

/** A join of a table's rows with a measurement's series, before validation. */
export interface SeriesJoinRequest {
  /** Identifier of the measurement dataset. */
  series: string;
  mode: JoinMode;
  startColumn?: string | null;
  endColumn?: string | null;
  keyColumn?: string | null;
  tag?: string | null;
  rows?: (RowQuery & { limit?: number | null; after?: string | null }) | null;
  observations: Omit<ObservationQuery, 'from' | 'to'> & {
    from?: Date | null;
    to?: Date | null;
    limitPerRow?: number | null;
  };
  budget?: { maxRows?: number | null; timeoutMs?: number | null } | null;
}

/** One table row with the points of its series. */
export interface JoinedRow {
  values: CellValue[];
  series: CellValue[][];
  /** True when the series had more points than limitPerRow and was cut. */
  seriesTruncated: boolean;
}

export interface SeriesJoinPage {
  columns: FrameColumn[];
  seriesColumns: FrameColumn[];
  rows: JoinedRow[];
  pointCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  pushedDown: PushedDownQuery[];
  activityPid: string;
  checksum: string;
}

const DEFAULT_JOIN_PAGE_ROWS = 100;
const DEFAULT_POINTS_PER_ROW = 1000;

/**
 * Joins the rows of a PostgreSQL table with the series of an InfluxDB
 * measurement in one request: for each row, the points within the row's
 * [start, end] (a time-window join, such as the temperature during each
 * batch), or the points of the series whose tag equals the row's key (a key
 * join, such as the readings of each asset). Both datasets pass the
 * viewer's access check. The table page is one SQL statement; the series
 * are one InfluxQL request per 50 rows (or one Flux request per row).
 */
@Injectable()
export class SeriesJoinService {
  constructor(
    private readonly catalog: FabricCatalog,
    private readonly runner: FabricQueryRunner,
    private readonly rowsService: RowsService,
    @Inject(FABRIC_SETTINGS_TOKEN) private readonly settings: FabricSettings,
  ) {}

  async joinSeries(
    dataset: DatasetEntity,
    viewer: Viewer,
    request: SeriesJoinRequest,
  ): Promise<SeriesJoinPage> {
    const { result, activityPid, checksum } = await this.runner.run(
      'joinSeries',
      viewer,
      (trace) => this.run(dataset, viewer, request, trace),
      (page) => ({
        rowCount: page.rows.length + page.pointCount,
        result: { columns: page.columns, seriesColumns: page.seriesColumns, rows: page.rows },
      }),
    );
    return { ...result, activityPid, checksum };
  }

  private async run(
    dataset: DatasetEntity,
    viewer: Viewer,
    request: SeriesJoinRequest,
    trace: QueryTrace,
  ): Promise<Omit<SeriesJoinPage, 'activityPid' | 'checksum'>> {
    const table = FabricCatalog.requireTable(
      await this.catalog.targetOf(dataset, viewer),
      'joinSeries',
    );
    trace.use(table);
    const series = await this.catalog.measurementByIdentifier(request.series, viewer);
    trace.use(series);

    const spec = checkJoinSpec(table, series, request);
    const rowPlan = planRows(table, request.rows ?? {}, spec.requiredColumns);
    const budget = budgetOf(this.settings, request.budget);
    const rowLimit = this.joinPageLimit(request.rows?.limit);
    const pointsPerRow = pointsLimit(request.observations.limitPerRow, budget);
    const observationPlan = planSeries(series, request, spec);

    const fingerprint = queryFingerprint({
      table: table.dataset.pid,
      series: series.dataset.pid,
      spec: describeSpec(spec),
      rows: describeRowPlan(rowPlan),
      observations: describePlan(observationPlan),
      pointsPerRow,
    });
    const cursor = decodeCursor(request.rows?.after, fingerprint);
    trace.input = {
      table: table.dataset.pid,
      series: series.dataset.pid,
      ...describeSpec(spec),
      rows: { ...describeRowPlan(rowPlan), limit: rowLimit, offset: cursor.offset },
      observations: { ...describePlan(observationPlan), limitPerRow: pointsPerRow },
      budget,
    };

    const deadline = new QueryDeadline(budget.timeoutMs);
    const fetched = await this.rowsService.fetch(
      table,
      rowPlan,
      { limit: rowLimit + 1, offset: cursor.offset },
      deadline,
      trace.pushedDown,
    );
    const page = pageByOffset(fetched, rowLimit, cursor, fingerprint);

    const rows = await this.attachSeries(
      page.rows,
      rowPlan,
      spec,
      series,
      observationPlan,
      pointsPerRow,
      deadline,
      trace.pushedDown,
    );
    const pointCount = rows.reduce((sum, row) => sum + row.series.length, 0);
    checkRowBudget(pointCount, rows.length, budget);

    return {
      columns: rowPlan.frameColumns,
      seriesColumns: observationPlan.columns,
      rows,
      pointCount,
      endCursor: page.endCursor,
      hasNextPage: page.hasNextPage,
      pushedDown: [...trace.pushedDown],
    };
  }

  private async attachSeries(
    tableRows: CellValue[][],
    rowPlan: RowPlan,
    spec: JoinSpec,
    series: MeasurementTarget,
    plan: ObservationPlan,
    pointsPerRow: number,
    deadline: QueryDeadline,
    pushedDown: PushedDownQuery[],
  ): Promise<JoinedRow[]> {
    const slices = joinSlices(tableRows, rowPlan, spec, plan, pointsPerRow + 1);
    const wanted = slices.filter((slice): slice is SeriesSlice => slice !== null);
    const runner = new InfluxObservationRunner(series, plan, deadline, pushedDown);
    const results = wanted.length === 0 ? [] : await runner.run(wanted);

    let next = 0;
    return tableRows.map((values, index) => {
      if (slices[index] === null) {
        return { values, series: [], seriesTruncated: false };
      }
      const points = results[next++]?.rows ?? [];
      return {
        values,
        series: points.slice(0, pointsPerRow),
        seriesTruncated: points.length > pointsPerRow,
      };
    });
  }

  private joinPageLimit(requested: number | null | undefined): number {
    const maximum = this.settings.maxJoinRows;
    if (requested === null || requested === undefined) {
      return Math.min(DEFAULT_JOIN_PAGE_ROWS, maximum);
    }
    if (!Number.isSafeInteger(requested) || requested < 1) {
      throw new FabricError(
        'INVALID_QUERY',
        `rows.limit ${requested} is invalid: ask for 1 or more table rows per page`,
      );
    }
    if (requested > maximum) {
      throw new FabricError(
        'ROW_BUDGET_EXCEEDED',
        `rows.limit ${requested} is above the join page size of ${maximum} table rows: ask for at most ${maximum} and follow pageInfo.endCursor`,
      );
    }
    return requested;
  }
}

/** Check the join's columns and tag against both harvested schemas. */
function checkJoinSpec(
  table: TableTarget,
  series: MeasurementTarget,
  request: SeriesJoinRequest,
): JoinSpec {
  const observationFrom = request.observations.from ?? null;
  const observationTo = request.observations.to ?? null;
  const bounds = {
    from:
      observationFrom === null
        ? null
        : toNanoseconds(observationFrom.toISOString(), 'observations.from'),
    to:
      observationTo === null ? null : toNanoseconds(observationTo.toISOString(), 'observations.to'),
  };
  if (bounds.from !== null && bounds.to !== null && bounds.from >= bounds.to) {
    throw new FabricError(
      'INVALID_QUERY',
      'observations.from is not before observations.to: give from < to',
    );
  }

  switch (request.mode) {
    case 'timeWindow': {
      const start = requireOption(request.startColumn, 'startColumn', 'TIME_WINDOW');
      const startColumn = timeColumn(table, start, 'startColumn');
      const endColumn =
        request.endColumn === null || request.endColumn === undefined
          ? null
          : timeColumn(table, request.endColumn, 'endColumn');
      const key = optionalKey(table, series, request);
      const required = [
        startColumn,
        ...(endColumn === null ? [] : [endColumn]),
        ...(key === null ? [] : [key.column]),
      ];
      return { mode: 'timeWindow', startColumn, endColumn, key, requiredColumns: required, bounds };
    }
    case 'tagKey': {
      const key = optionalKey(table, series, request);
      if (key === null) {
        throw new FabricError('INVALID_QUERY', 'a TAG_KEY join needs keyColumn and tag: set both');
      }
      const { column, tag } = key;
      if (bounds.from === null || bounds.to === null) {
        throw new FabricError(
          'INVALID_QUERY',
          'a TAG_KEY join reads a time range: set observations.from and observations.to',
        );
      }
      return { mode: 'tagKey', keyColumn: column, tag, requiredColumns: [column], bounds };
    }
  }
}

/** The key column and tag of a join, both or neither. */
function optionalKey(
  table: TableTarget,
  series: MeasurementTarget,
  request: SeriesJoinRequest,
): { column: string; tag: string } | null {
  const column = request.keyColumn ?? null;
  const tag = request.tag ?? null;
  if (column === null && tag === null) {
    return null;
  }
  if (column === null || tag === null) {
    throw new FabricError(
      'INVALID_QUERY',
      `keyColumn and tag go together: set ${column === null ? 'keyColumn' : 'tag'} too`,
    );
  }
  columnOf(table, column, 'keyColumn');
  if (!series.tagKeys.includes(tag)) {
    throw new FabricError(
      'INVALID_QUERY',
      `tag ${JSON.stringify(tag.slice(0, 80))} is not a tag key of measurement ${series.measurement}: use one of ${series.tagKeys.join(', ')}`,
    );
  }
  return { column, tag };
}

function timeColumn(table: TableTarget, name: string, role: string): string {
  const column = columnOf(table, name, role);
  if (!['xsd:dateTimeStamp', 'xsd:dateTime', 'xsd:date'].includes(column.xsdType)) {
    throw new FabricError(
      'INVALID_QUERY',
      `${role} ${name} is ${column.sqlType}, not a time: pick a timestamptz, timestamp or date column`,
    );
  }
  return name;
}

function requireOption(value: string | null | undefined, name: string, mode: string): string {
  if (value === null || value === undefined || value === '') {
    throw new FabricError('INVALID_QUERY', `a ${mode} join needs ${name}: set it`);
  }
  return value;
}

/** The latest time InfluxDB can store (int64 nanoseconds), used when observations.to is open. */
const LATEST_INFLUX_TIME = new Date('2262-04-11T23:47:16Z');

/**
 * Validate the series side once, over a range that covers every row's
 * window; each row's statement then narrows it. The range is fixed when
 * open, so the same input always gives the same plan and cursor.
 */
function planSeries(
  series: MeasurementTarget,
  request: SeriesJoinRequest,
  spec: JoinSpec,
): ObservationPlan {
  const from =
    spec.bounds.from === null ? new Date(0) : new Date(fromNanoseconds(spec.bounds.from));
  const to =
    spec.bounds.to === null ? LATEST_INFLUX_TIME : new Date(fromNanoseconds(spec.bounds.to));
  const { limitPerRow: _limit, from: _from, to: _to, ...query } = request.observations;
  return planObservations(series, { ...query, from, to });
}

function pointsLimit(requested: number | null | undefined, budget: QueryBudget): number {
  if (requested === null || requested === undefined) {
    return Math.min(DEFAULT_POINTS_PER_ROW, budget.maxRows);
  }
  if (!Number.isSafeInteger(requested) || requested < 1 || requested > budget.maxRows) {
    throw new FabricError(
      'INVALID_QUERY',
      `observations.limitPerRow ${requested} is invalid: give 1 to ${budget.maxRows} (the row budget)`,
    );
  }
  return requested;
}

function checkRowBudget(pointCount: number, rowCount: number, budget: QueryBudget): void {
  if (pointCount + rowCount > budget.maxRows) {
    throw new FabricError(
      'ROW_BUDGET_EXCEEDED',
      `the join returned ${pointCount} series points for ${rowCount} table rows, more than the row budget of ${budget.maxRows}: ` +
        'narrow observations.from and observations.to, aggregate over a wider window, lower observations.limitPerRow, or ask for fewer rows with rows.limit',
    );
  }
}

function describeSpec(spec: JoinSpec): Record<string, unknown> {
  const bounds = {
    from: spec.bounds.from === null ? null : fromNanoseconds(spec.bounds.from),
    to: spec.bounds.to === null ? null : fromNanoseconds(spec.bounds.to),
  };
  return spec.mode === 'timeWindow'
    ? {
        mode: spec.mode,
        startColumn: spec.startColumn,
        endColumn: spec.endColumn,
        key: spec.key,
        bounds,
      }
    : { mode: spec.mode, keyColumn: spec.keyColumn, tag: spec.tag, bounds };
}
