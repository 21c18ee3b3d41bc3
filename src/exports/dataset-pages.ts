import { Inject, Injectable } from '@nestjs/common';

import type { Viewer } from '../auth/viewer';
import type { MeasurementTarget, QueryTarget, TableTarget } from '../fabric/catalog/query-target';
import { FABRIC_SETTINGS_TOKEN } from '../fabric/fabric-settings';
import type { FabricSettings } from '../fabric/fabric-settings';
import type { CellValue, FrameColumn, PushedDownQuery } from '../fabric/frame';
import { ObservationsService } from '../fabric/influx/observations.service';
import type { ObservationPage } from '../fabric/influx/observations.service';
import { RowsService } from '../fabric/postgres/rows.service';
import type { RowPage } from '../fabric/postgres/rows.service';
import { ExportError } from './export.error';
import type { ExportWindow } from './export-window';

/** One page of an export, as the fabric returned it. */
export interface ExportPage {
  columns: FrameColumn[];
  rows: CellValue[][];
  pushedDown: PushedDownQuery[];
}

/** Maximum rows per page of an export; the fabric's row budget may lower it. */
export const MAX_EXPORT_PAGE_ROWS = 10_000;

const TIME_COLUMN_TYPES = ['xsd:dateTimeStamp', 'xsd:dateTime'];

/**
 * Reads a dataset's window page by page through the data fabric, so every
 * page goes through the fabric's access check, its budgets and its
 * provenance record, and no more than one page is held in memory.
 */
@Injectable()
export class DatasetPages {
  constructor(
    private readonly observations: ObservationsService,
    private readonly rows: RowsService,
    @Inject(FABRIC_SETTINGS_TOKEN) private readonly settings: FabricSettings,
  ) {}

  /** Rows per page: the export's maximum, lowered to the fabric's row budget. */
  get pageRows(): number {
    return Math.min(MAX_EXPORT_PAGE_ROWS, this.settings.maxRows);
  }

  /** Read every page of the window, in time order. */
  async *read(
    target: QueryTarget,
    window: ExportWindow,
    viewer: Viewer,
    timeColumn: string | null,
  ): AsyncGenerator<ExportPage> {
    let after: string | null = null;
    do {
      const page: ObservationPage | RowPage =
        target.kind === 'influx-measurement'
          ? await this.observations.observations(target.dataset, viewer, {
              query: { from: window.from, to: window.to },
              limit: this.pageRows,
              after,
            })
          : await this.rows.rows(target.dataset, viewer, {
              query: tableWindowQuery(tableTimeColumn(target, timeColumn), window),
              limit: this.pageRows,
              after,
            });
      yield {
        columns: page.columns,
        rows: page.rows,
        pushedDown: page.pushedDown,
      };
      after = page.endCursor;
    } while (after !== null);
  }

  /**
   * An estimate of the rows in the window, for progress. A measurement
   * counts its points with one COUNT query (the largest count of any field,
   * so points that lack that field are missed). A table scales the
   * planner's row estimate by the part of its time coverage the window
   * overlaps. Null when nothing is known.
   */
  async estimate(
    target: QueryTarget,
    window: ExportWindow,
    viewer: Viewer,
  ): Promise<number | null> {
    if (target.kind === 'influx-measurement') {
      return this.countPoints(target, window, viewer);
    }
    return estimateTableRows(target, window);
  }

  private async countPoints(
    target: MeasurementTarget,
    window: ExportWindow,
    viewer: Viewer,
  ): Promise<number> {
    const page = await this.observations.observations(target.dataset, viewer, {
      query: { from: window.from, to: window.to, aggregation: 'count' },
      limit: 1,
    });
    const counts = (page.rows[0] ?? []).filter(
      (value): value is number => typeof value === 'number',
    );
    return counts.length === 0 ? 0 : Math.max(...counts);
  }
}

/** Pick the column a table's window applies to: the one named, or the first timestamp column. */
export function tableTimeColumn(target: TableTarget, requested: string | null): string {
  const timeColumns = [...target.columns.values()]
    .filter((column) => TIME_COLUMN_TYPES.includes(column.xsdType))
    .sort((a, b) => a.position - b.position)
    .map((column) => column.name);
  if (requested !== null) {
    if (!timeColumns.includes(requested)) {
      throw new ExportError(
        'INVALID_INPUT',
        `timeColumn "${requested.slice(0, 80)}" is not a timestamp column of dataset ${target.dataset.pid}: use one of ${timeColumns.join(', ') || '(none)'}`,
      );
    }
    return requested;
  }
  const first = timeColumns[0];
  if (first === undefined) {
    throw new ExportError(
      'NOT_EXPORTABLE',
      `dataset ${target.dataset.pid} (table ${target.schema}.${target.table}) has no timestamp column, so a time window cannot select its rows: export a table or view with a timestamptz or timestamp column`,
    );
  }
  return first;
}

function tableWindowQuery(column: string, window: ExportWindow) {
  return {
    columns: null,
    filters: [
      { column, op: 'gte' as const, value: window.from.toISOString() },
      { column, op: 'lt' as const, value: window.to.toISOString() },
    ],
    orderBy: [{ column, direction: 'asc' as const }],
  };
}

function estimateTableRows(target: TableTarget, window: ExportWindow): number | null {
  const details = target.dataset.details as Record<string, unknown>;
  const rows = details.estimatedRowCount;
  const start = target.dataset.temporalStart;
  const end = target.dataset.temporalEnd;
  if (typeof rows !== 'number' || start === null || end === null) {
    return null;
  }
  const span = end.getTime() - start.getTime();
  if (span <= 0) {
    return rows;
  }
  const overlap =
    Math.min(end.getTime(), window.to.getTime()) - Math.max(start.getTime(), window.from.getTime());
  return Math.max(0, Math.round((rows * Math.max(0, overlap)) / span));
}
