import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Viewer } from '../auth/viewer';
import { IdentifierEntity } from '../identifiers/identifier.entity';
import { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import { HarvestRunEntity } from '../provenance/harvest-run.entity';
import { applyDatasetFilter, SEARCH_VECTOR } from './dataset-search';
import type { DatasetFilter } from './dataset-search';
import { DataServiceEntity } from './entities/data-service.entity';
import { DatasetEntity } from './entities/dataset.entity';
import { DistributionEntity } from './entities/distribution.entity';
import { ObservablePropertyEntity } from './entities/observable-property.entity';
import { SourceSystemEntity } from './entities/source-system.entity';

export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

export type FacetName =
  'source' | 'place' | 'unit' | 'quantityKind' | 'licence' | 'kind' | 'coverageYear';

interface SearchCursor {
  rank: number | null;
  title: string;
  id: string;
}

/** What an identifier resolves to: a live entity, or the tombstone of a withdrawn one. */
export type Resolution =
  | {
      state: 'active';
      entityType: IdentifierEntity['entityType'];
      entityId: string;
      localId: string;
    }
  | {
      state: 'withdrawn';
      entityType: IdentifierEntity['entityType'];
      entityId: string;
      localId: string;
      withdrawnAt: Date;
      tombstone: Record<string, unknown>;
    }
  | { state: 'unknown' };

/** Read side of the catalog: search with facets, lookups by identifier, history. */
@Injectable()
export class CatalogService {
  constructor(private readonly dataSource: DataSource) {}

  async searchDatasets(
    filter: DatasetFilter,
    viewer: Viewer,
    first: number,
    after: string | null,
  ): Promise<Page<DatasetEntity>> {
    const size = Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
    const base = this.dataSource.getRepository(DatasetEntity).createQueryBuilder('dataset');
    const { tsquery } = applyDatasetFilter(base, filter, viewer);
    const totalCount = await base.clone().getCount();

    const query = base.clone();
    const rankExpression =
      tsquery === undefined ? null : `ts_rank(${SEARCH_VECTOR}, to_tsquery('simple', :tsquery))`;
    if (rankExpression !== null) {
      query
        .addSelect(rankExpression, 'rank')
        .orderBy('rank', 'DESC')
        .addOrderBy('dataset.title', 'ASC')
        .addOrderBy('dataset.id', 'ASC');
    } else {
      query.orderBy('dataset.title', 'ASC').addOrderBy('dataset.id', 'ASC');
    }

    const cursor = after === null || after === undefined ? null : decodeCursor(after);
    if (cursor !== null) {
      if (rankExpression !== null && cursor.rank !== null) {
        query.andWhere(
          `(${rankExpression} < :cursorRank OR (${rankExpression} = :cursorRank AND (dataset.title, dataset.id) > (:cursorTitle, :cursorId)))`,
          { cursorRank: cursor.rank, cursorTitle: cursor.title, cursorId: cursor.id },
        );
      } else {
        query.andWhere('(dataset.title, dataset.id) > (:cursorTitle, CAST(:cursorId AS uuid))', {
          cursorTitle: cursor.title,
          cursorId: cursor.id,
        });
      }
    }

    query.take(size + 1);
    const { entities, raw } = await query.getRawAndEntities<{ rank?: number | string }>();
    const hasNextPage = entities.length > size;
    const items = entities.slice(0, size);
    const last = items[items.length - 1];
    const lastRank = raw[items.length - 1]?.rank;
    return {
      items,
      hasNextPage,
      totalCount,
      endCursor:
        last === undefined
          ? null
          : encodeCursor({
              rank: lastRank === undefined ? null : Number(lastRank),
              title: last.title,
              id: last.id,
            }),
    };
  }

  /** Counts per value of one facet over the datasets a filter matches (top 30 values). */
  async facet(name: FacetName, filter: DatasetFilter, viewer: Viewer): Promise<FacetValue[]> {
    const matching = this.dataSource
      .getRepository(DatasetEntity)
      .createQueryBuilder('dataset')
      .select('dataset.id');
    applyDatasetFilter(matching, filter, viewer);
    const [matchingSql, parameters] = matching.getQueryAndParameters();
    const { from, value } = FACET_SQL[name];
    const rows = await this.dataSource.query<Array<{ value: string | null; count: string }>>(
      `SELECT ${value} AS value, COUNT(*) AS count FROM ${from} WHERE d.id IN (${matchingSql}) GROUP BY 1 ORDER BY 2 DESC, 1 ASC LIMIT 30`,
      parameters,
    );
    return rows
      .filter((row) => row.value !== null)
      .map((row) => ({ value: String(row.value), count: Number(row.count) }));
  }

  async datasetById(id: string): Promise<DatasetEntity | null> {
    return this.dataSource.getRepository(DatasetEntity).findOne({ where: { id } });
  }

  async datasetByPid(pid: string): Promise<DatasetEntity | null> {
    return this.dataSource.getRepository(DatasetEntity).findOne({ where: { pid } });
  }

  async datasetsBySource(sourceId: string): Promise<DatasetEntity[]> {
    return this.dataSource
      .getRepository(DatasetEntity)
      .find({ where: { sourceId }, order: { title: 'ASC' } });
  }

  async propertiesOf(datasetId: string): Promise<ObservablePropertyEntity[]> {
    return this.dataSource
      .getRepository(ObservablePropertyEntity)
      .find({ where: { datasetId }, order: { name: 'ASC' } });
  }

  async distributionsOf(datasetId: string): Promise<DistributionEntity[]> {
    return this.dataSource
      .getRepository(DistributionEntity)
      .find({ where: { datasetId }, order: { key: 'ASC' } });
  }

  async distributionById(id: string): Promise<DistributionEntity | null> {
    return this.dataSource.getRepository(DistributionEntity).findOne({ where: { id } });
  }

  async sourceById(id: string): Promise<SourceSystemEntity | null> {
    return this.dataSource.getRepository(SourceSystemEntity).findOne({ where: { id } });
  }

  async dataServiceById(id: string): Promise<DataServiceEntity | null> {
    return this.dataSource.getRepository(DataServiceEntity).findOne({ where: { id } });
  }

  async dataServiceOfSource(sourceId: string): Promise<DataServiceEntity | null> {
    return this.dataSource.getRepository(DataServiceEntity).findOne({ where: { sourceId } });
  }

  async dataServices(): Promise<DataServiceEntity[]> {
    return this.dataSource.getRepository(DataServiceEntity).find({ order: { title: 'ASC' } });
  }

  async historyOf(datasetId: string, limit = 100): Promise<DatasetChangeEntity[]> {
    return this.dataSource.getRepository(DatasetChangeEntity).find({
      where: { datasetId },
      order: { changedAt: 'DESC' },
      take: Math.min(limit, 500),
    });
  }

  async harvestRun(id: string): Promise<HarvestRunEntity | null> {
    return this.dataSource.getRepository(HarvestRunEntity).findOne({ where: { id } });
  }

  async harvestRunByPid(pid: string): Promise<HarvestRunEntity | null> {
    return this.dataSource.getRepository(HarvestRunEntity).findOne({ where: { pid } });
  }

  /** Harvest runs, newest first, optionally of one source; cursor is the last run's start time and id. */
  async harvestRuns(
    sourceId: string | null,
    first: number,
    after: string | null,
  ): Promise<Page<HarvestRunEntity>> {
    const size = Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
    const query = this.dataSource.getRepository(HarvestRunEntity).createQueryBuilder('run');
    if (sourceId !== null) {
      query.andWhere('run.source_id = :sourceId', { sourceId });
    }
    const totalCount = await query.clone().getCount();
    if (after !== null && after !== undefined) {
      const cursor = decodeRunCursor(after);
      query.andWhere('(run.started_at, run.id) < (:startedAt, CAST(:id AS uuid))', cursor);
    }
    const rows = await query
      .orderBy('run.started_at', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .take(size + 1)
      .getMany();
    const items = rows.slice(0, size);
    const last = items[items.length - 1];
    return {
      items,
      totalCount,
      hasNextPage: rows.length > size,
      endCursor:
        last === undefined
          ? null
          : Buffer.from(JSON.stringify({ s: last.startedAt.toISOString(), i: last.id })).toString(
              'base64url',
            ),
    };
  }

  /** The harvest runs that created or changed a dataset, newest first (its provenance). */
  async activitiesOf(datasetId: string): Promise<HarvestRunEntity[]> {
    return this.dataSource
      .getRepository(HarvestRunEntity)
      .createQueryBuilder('run')
      .where(
        'run.pid IN (SELECT change.activity_pid FROM dataset_change change WHERE change.dataset_id = :datasetId)',
        { datasetId },
      )
      .orderBy('run.started_at', 'DESC')
      .take(50)
      .getMany();
  }

  async resolve(localId: string): Promise<Resolution> {
    const row = await this.dataSource
      .getRepository(IdentifierEntity)
      .findOne({ where: { localId } });
    if (row === null) {
      return { state: 'unknown' };
    }
    if (row.withdrawnAt !== null) {
      return {
        state: 'withdrawn',
        entityType: row.entityType,
        entityId: row.entityId,
        localId,
        withdrawnAt: row.withdrawnAt,
        tombstone: row.tombstone ?? {},
      };
    }
    return { state: 'active', entityType: row.entityType, entityId: row.entityId, localId };
  }
}

/** SQL of each facet over the dataset table aliased `d`; fixed text, never built from input. */
const FACET_SQL: Record<FacetName, { from: string; value: string }> = {
  source: { from: 'dataset d JOIN source_system s ON s.id = d.source_id', value: 's.source_key' },
  place: { from: 'dataset d', value: 'd.place' },
  unit: { from: 'dataset d CROSS JOIN LATERAL unnest(d.units) AS u(value)', value: 'u.value' },
  quantityKind: {
    from: 'dataset d CROSS JOIN LATERAL unnest(d.quantity_kinds) AS q(value)',
    value: 'q.value',
  },
  licence: { from: 'dataset d', value: "COALESCE(d.licence_id, 'none')" },
  kind: { from: 'dataset d', value: 'd.kind' },
  coverageYear: { from: 'dataset d', value: "to_char(d.temporal_end AT TIME ZONE 'UTC', 'YYYY')" },
};

function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify({ r: cursor.rank, t: cursor.title, i: cursor.id })).toString(
    'base64url',
  );
}

/** Decode a search cursor; a malformed one is rejected with a message saying where cursors come from. */
export function decodeCursor(text: string): SearchCursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      r?: unknown;
      t?: unknown;
      i?: unknown;
    };
    if (
      typeof parsed.t === 'string' &&
      typeof parsed.i === 'string' &&
      /^[0-9a-f-]{36}$/.test(parsed.i) &&
      (parsed.r === null || typeof parsed.r === 'number')
    ) {
      return { rank: parsed.r, title: parsed.t, id: parsed.i };
    }
  } catch {
    // Fall through to the error below.
  }
  throw new InvalidCursorError(text);
}

function decodeRunCursor(text: string): { startedAt: Date; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      s?: unknown;
      i?: unknown;
    };
    if (
      typeof parsed.s === 'string' &&
      typeof parsed.i === 'string' &&
      /^[0-9a-f-]{36}$/.test(parsed.i)
    ) {
      const startedAt = new Date(parsed.s);
      if (!Number.isNaN(startedAt.getTime())) {
        return { startedAt, id: parsed.i };
      }
    }
  } catch {
    // Fall through to the error below.
  }
  throw new InvalidCursorError(text);
}

export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(
      `cursor "${cursor.slice(0, 60)}" is invalid: pass the endCursor of the previous page unchanged`,
    );
    this.name = 'InvalidCursorError';
  }
}
