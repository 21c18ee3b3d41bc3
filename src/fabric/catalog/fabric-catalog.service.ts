import { Injectable } from '@nestjs/common';

import { embargoFor, mayReadData, mayReadDataset } from '../../auth/dataset-access';
import type { Viewer } from '../../auth/viewer';
import { CatalogService } from '../../catalog/catalog.service';
import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import { SourcesService } from '../../sources/sources.service';
import { FabricError } from '../fabric.error';
import { toQueryTarget } from './query-target';
import type { MeasurementTarget, QueryTarget, TableTarget } from './query-target';

/** Query targets kept between requests; the oldest is dropped beyond this. */
const MAX_CACHED_TARGETS = 1000;

/**
 * Finds the datasets a query touches and checks, for each one, that the
 * viewer may read it. Every path of the fabric goes through here, joins
 * included, so no dataset is read without that check. The dataset row is
 * read on every request, so access changes apply at once; its source and
 * properties are cached until the dataset is harvested again or its source
 * changes.
 */
@Injectable()
export class FabricCatalog {
  private readonly targets = new Map<string, { version: string; target: QueryTarget }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly identifiers: IdentifiersService,
    sources: SourcesService,
  ) {
    sources.onChange((source) => {
      for (const [datasetId, entry] of this.targets) {
        if (entry.target.source.id === source.id) {
          this.targets.delete(datasetId);
        }
      }
    });
  }

  /** The query target of a dataset by its internal id (the parent of a GraphQL field). */
  async targetById(datasetId: string, viewer: Viewer): Promise<QueryTarget> {
    const dataset = await this.catalog.datasetById(datasetId);
    return this.toTarget(dataset, datasetId, viewer);
  }

  /** Build the query target of a dataset row that this request has already read (the parent of a GraphQL field). */
  async targetOf(dataset: DatasetEntity, viewer: Viewer): Promise<QueryTarget> {
    return this.toTarget(dataset, dataset.id, viewer);
  }

  /** The query target of a dataset named by its persistent identifier, resolver URL or local id. */
  async targetByIdentifier(text: string, viewer: Viewer): Promise<QueryTarget> {
    const localId = this.identifiers.parse(text);
    if (localId === undefined) {
      throw new FabricError(
        'INVALID_QUERY',
        `"${text.slice(0, 80)}" is not a Weft identifier: pass the dataset's id as search or dataset returned it`,
      );
    }
    const dataset = await this.catalog.datasetByPid(this.identifiers.toPid(localId));
    return this.toTarget(dataset, text, viewer);
  }

  /** The measurement a join reads, with an error when the identifier names something else. */
  async measurementByIdentifier(text: string, viewer: Viewer): Promise<MeasurementTarget> {
    const target = await this.targetByIdentifier(text, viewer);
    if (target.kind !== 'influx-measurement') {
      throw new FabricError(
        'INVALID_QUERY',
        `dataset ${target.dataset.pid} is a ${target.dataset.kind}: the series of a join must be an InfluxDB measurement`,
      );
    }
    return target;
  }

  /** Tell whether the viewer may read the data of every dataset of a list of identifiers; unknown ones count as unreadable. */
  async mayReadAll(pids: string[], viewer: Viewer): Promise<boolean> {
    const now = new Date();
    for (const pid of pids) {
      const dataset = await this.catalog.datasetByPid(pid);
      if (dataset === null || !mayReadData(viewer, dataset, now)) {
        return false;
      }
    }
    return true;
  }

  /** Narrow a target to a table, with an error naming the field that needs one. */
  static requireTable(target: QueryTarget, field: string): TableTarget {
    if (target.kind !== 'postgres-table') {
      throw new FabricError(
        'NOT_QUERYABLE',
        `${field} applies to PostgreSQL tables, but dataset ${target.dataset.pid} is a ${target.dataset.kind}: use observations for measurements`,
      );
    }
    return target;
  }

  /** Narrow a target to a measurement, with an error naming the field that needs one. */
  static requireMeasurement(target: QueryTarget, field: string): MeasurementTarget {
    if (target.kind !== 'influx-measurement') {
      throw new FabricError(
        'NOT_QUERYABLE',
        `${field} applies to InfluxDB measurements, but dataset ${target.dataset.pid} is a ${target.dataset.kind}: use rows for tables`,
      );
    }
    return target;
  }

  private async toTarget(
    dataset: DatasetEntity | null,
    named: string,
    viewer: Viewer,
  ): Promise<QueryTarget> {
    // An unreadable dataset gets the same answer as a missing one, so its existence is not revealed.
    const now = new Date();
    if (dataset === null || !mayReadDataset(viewer, dataset, now)) {
      throw new FabricError(
        'NOT_FOUND',
        `dataset ${named.slice(0, 80)} was not found or may not be read by this account: check the identifier, or sign in with an account that may read it`,
      );
    }
    const embargo = embargoFor(viewer, dataset, now);
    if (embargo !== null) {
      throw new FabricError(
        'EMBARGOED',
        `the data of dataset ${dataset.pid} is under embargo until ${embargo.toISOString()}: query it after that time, or ask a data steward`,
      );
    }

    const version = [
      dataset.status,
      dataset.modifiedAt.toISOString(),
      dataset.lastHarvestedAt.toISOString(),
    ].join('|');
    const cached = this.targets.get(dataset.id);
    if (cached !== undefined && cached.version === version) {
      return { ...cached.target, dataset };
    }

    const source = await this.catalog.sourceById(dataset.sourceId);
    if (source === null) {
      throw new FabricError(
        'NOT_QUERYABLE',
        `the source of dataset ${dataset.pid} is missing from the catalog`,
      );
    }
    const properties = await this.catalog.propertiesOf(dataset.id);
    const target = toQueryTarget(dataset, source, properties);
    this.remember(dataset.id, version, target);
    return target;
  }

  private remember(datasetId: string, version: string, target: QueryTarget): void {
    this.targets.delete(datasetId);
    this.targets.set(datasetId, { version, target });
    if (this.targets.size > MAX_CACHED_TARGETS) {
      const oldest = this.targets.keys().next().value;
      if (oldest !== undefined) {
        this.targets.delete(oldest);
      }
    }
  }
}
