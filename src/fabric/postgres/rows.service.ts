import { Inject, Injectable } from '@nestjs/common';

import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { Viewer } from '../../auth/viewer';
import { FabricCatalog } from '../catalog/fabric-catalog.service';
import type { TableTarget } from '../catalog/query-target';
import { decodeCursor, queryFingerprint } from '../cursor';
import { QueryDeadline } from '../deadline';
import { budgetOf, FABRIC_SETTINGS_TOKEN } from '../fabric-settings';
import type { FabricSettings, QueryBudget } from '../fabric-settings';
import type { CellValue, FrameColumn, PushedDownQuery } from '../frame';
import { FabricQueryRunner } from '../fabric-query.runner';
import { pageByOffset, pageLimit } from '../paging';
import type { PagedRows } from '../paging';
import { PostgresPools } from './postgres-pools.service';
import { runRowsSelect } from './postgres-rows.runner';
import { planRows } from './row-plan';
import type { RowPlan, RowQuery } from './row-plan';
import { buildRowsSelect } from './sql-rows.query';

/** A row query with its paging and budget. */
export interface RowRequest {
  query: RowQuery;
  limit?: number | null;
  after?: string | null;
  budget?: { maxRows?: number | null; timeoutMs?: number | null } | null;
}

/** A page of rows with the provenance record that describes it. */
export interface RowPage extends PagedRows {
  columns: FrameColumn[];
  pushedDown: PushedDownQuery[];
  activityPid: string;
  checksum: string;
}

/** Answers row queries on PostgreSQL tables and views, pushed down as SQL. */
@Injectable()
export class RowsService {
  constructor(
    private readonly catalog: FabricCatalog,
    private readonly runner: FabricQueryRunner,
    private readonly pools: PostgresPools,
    @Inject(FABRIC_SETTINGS_TOKEN) private readonly settings: FabricSettings,
  ) {}

  async rows(dataset: DatasetEntity, viewer: Viewer, request: RowRequest): Promise<RowPage> {
    const { result, activityPid, checksum } = await this.runner.run(
      'rows',
      viewer,
      async (trace) => {
        const target = FabricCatalog.requireTable(
          await this.catalog.targetOf(dataset, viewer),
          'rows',
        );
        trace.use(target);
        const plan = planRows(target, request.query);
        const budget = budgetOf(this.settings, request.budget);
        const limit = pageLimit(request.limit, this.settings.defaultPageRows, budget);
        const fingerprint = queryFingerprint({
          dataset: target.dataset.pid,
          plan: describeRowPlan(plan),
        });
        const cursor = decodeCursor(request.after, fingerprint);
        trace.input = {
          dataset: target.dataset.pid,
          ...describeRowPlan(plan),
          limit,
          offset: cursor.offset,
          budget,
        };

        const fetched = await this.fetch(
          target,
          plan,
          { limit: limit + 1, offset: cursor.offset },
          budget,
          trace.pushedDown,
        );
        const page = pageByOffset(fetched, limit, cursor, fingerprint);
        return { ...page, columns: plan.frameColumns, pushedDown: [...trace.pushedDown] };
      },
      (page) => ({
        rowCount: page.rows.length,
        result: { columns: page.columns, rows: page.rows },
      }),
    );
    return { ...result, activityPid, checksum };
  }

  /** Run a planned SELECT for one page; joins use it for their table side. */
  async fetch(
    target: TableTarget,
    plan: RowPlan,
    page: { limit: number; offset: number },
    budget: QueryBudget | QueryDeadline,
    pushedDown: PushedDownQuery[],
  ): Promise<CellValue[][]> {
    const deadline = budget instanceof QueryDeadline ? budget : new QueryDeadline(budget.timeoutMs);
    const pool = this.pools.poolFor(target.config, this.settings.timeoutMs);
    const rows = await runRowsSelect(
      pool,
      target,
      buildRowsSelect(target, plan, page),
      deadline,
      pushedDown,
    );
    return normalizeDecimals(plan, rows);
  }
}

/** The plan as plain JSON: what the query asked, in provenance and in cursor fingerprints. */
export function describeRowPlan(plan: RowPlan): Record<string, unknown> {
  return {
    columns: plan.columns.map((column) => column.name),
    filters: plan.filters.map((filter) => ({
      column: filter.column.name,
      op: filter.op,
      value: filter.value,
    })),
    orderBy: plan.orderBy.map((entry) => ({
      column: entry.column.name,
      direction: entry.direction,
    })),
  };
}

/** numeric values arrive as text to keep their digits; the frame types them xsd:decimal and sends numbers. */
function normalizeDecimals(plan: RowPlan, rows: CellValue[][]): CellValue[][] {
  const decimalIndexes = plan.columns.flatMap((column, index) =>
    column.xsdType === 'xsd:decimal' ? [index] : [],
  );
  if (decimalIndexes.length === 0) {
    return rows;
  }
  for (const row of rows) {
    for (const index of decimalIndexes) {
      const value = row[index];
      if (typeof value === 'string' && Number.isFinite(Number(value))) {
        row[index] = Number(value);
      }
    }
  }
  return rows;
}
