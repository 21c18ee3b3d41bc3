import { Inject, Injectable } from '@nestjs/common';

import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { Viewer } from '../../auth/viewer';
import { FabricCatalog } from '../catalog/fabric-catalog.service';
import { decodeCursor, queryFingerprint } from '../cursor';
import { QueryDeadline } from '../deadline';
import { budgetOf, FABRIC_SETTINGS_TOKEN } from '../fabric-settings';
import type { FabricSettings } from '../fabric-settings';
import type { FrameColumn, PushedDownQuery } from '../frame';
import { FabricQueryRunner } from '../fabric-query.runner';
import { pageByOffset, pageByTime, pageLimit } from '../paging';
import type { PagedRows } from '../paging';
import { InfluxObservationRunner } from './influx-observation.runner';
import { planObservations } from './observation-plan';
import type { ObservationPlan, ObservationQuery } from './observation-plan';

/** An observation query with its paging and budget. */
export interface ObservationRequest {
  query: ObservationQuery;
  limit?: number | null;
  after?: string | null;
  budget?: { maxRows?: number | null; timeoutMs?: number | null } | null;
}

/** A page of observations with the provenance record that describes it. */
export interface ObservationPage extends PagedRows {
  columns: FrameColumn[];
  pushedDown: PushedDownQuery[];
  activityPid: string;
  checksum: string;
}

/** Answers observation queries on InfluxDB measurements, pushed down as InfluxQL or Flux. */
@Injectable()
export class ObservationsService {
  constructor(
    private readonly catalog: FabricCatalog,
    private readonly runner: FabricQueryRunner,
    @Inject(FABRIC_SETTINGS_TOKEN) private readonly settings: FabricSettings,
  ) {}

  async observations(
    dataset: DatasetEntity,
    viewer: Viewer,
    request: ObservationRequest,
  ): Promise<ObservationPage> {
    const { result, activityPid, checksum } = await this.runner.run(
      'observations',
      viewer,
      async (trace) => {
        const target = FabricCatalog.requireMeasurement(
          await this.catalog.targetOf(dataset, viewer),
          'observations',
        );
        trace.use(target);
        const plan = planObservations(target, request.query);
        const budget = budgetOf(this.settings, request.budget);
        const limit = pageLimit(request.limit, this.settings.defaultPageRows, budget);
        const fingerprint = queryFingerprint({
          dataset: target.dataset.pid,
          plan: describePlan(plan),
        });
        const cursor = decodeCursor(request.after, fingerprint);
        trace.input = {
          dataset: target.dataset.pid,
          ...describePlan(plan),
          limit,
          offset: cursor.offset,
          ...(cursor.afterTime === undefined ? {} : { afterTime: cursor.afterTime }),
          budget,
        };

        const deadline = new QueryDeadline(budget.timeoutMs);
        const raw = plan.aggregation === null;
        const sliceCursor = raw ? cursor : { offset: cursor.offset };
        const runner = new InfluxObservationRunner(target, plan, deadline, trace.pushedDown);
        const [fetched] = await runner.run([
          { from: plan.from, to: plan.to, limit: limit + 1, cursor: sliceCursor },
        ]);
        const page = raw
          ? pageByTime(fetched?.rows ?? [], limit, sliceCursor, fingerprint)
          : pageByOffset(fetched?.rows ?? [], limit, sliceCursor, fingerprint);
        return { ...page, columns: plan.columns, pushedDown: [...trace.pushedDown] };
      },
      (page) => ({
        rowCount: page.rows.length,
        result: { columns: page.columns, rows: page.rows },
      }),
    );
    return { ...result, activityPid, checksum };
  }
}

/** The plan as plain JSON: what the query asked, in provenance and in cursor fingerprints. */
export function describePlan(plan: ObservationPlan): Record<string, unknown> {
  return {
    from: plan.from,
    to: plan.to,
    fields: plan.fields.map((field) => field.name),
    tagFilters: plan.tagFilters,
    aggregation: plan.aggregation,
    window: plan.window?.literal ?? null,
    fill: plan.window === null ? null : plan.fill,
    fillValue: plan.fillValue,
  };
}
