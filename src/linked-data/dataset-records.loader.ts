import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

import { DataServiceEntity } from '../catalog/entities/data-service.entity';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { DistributionEntity } from '../catalog/entities/distribution.entity';
import { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import { SourceSystemEntity } from '../catalog/entities/source-system.entity';
import { LicenceEntity } from '../licences/licence.entity';
import type { DatasetRecord } from './descriptions/dataset-record';

/**
 * Everything a description needs, for a page of datasets, in one statement.
 * Each dataset is one row, and its rows from other tables come as jsonb
 * (`to_jsonb` keeps the column names), in the order the descriptions list
 * them. The first harvest run is the activity of the dataset's oldest
 * `created` change. The data services are the endpoint service of the
 * dataset's source and the services its distributions name.
 */
const LOAD_RECORDS = `
SELECT d.id AS dataset_id,
  (SELECT to_jsonb(s) FROM "source_system" s WHERE s."id" = d.source_id) AS source,
  (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p."name"), '[]'::jsonb)
     FROM "observable_property" p WHERE p."dataset_id" = d.id) AS properties,
  (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x."key"), '[]'::jsonb)
     FROM "distribution" x WHERE x."dataset_id" = d.id AND x."status" = 'active') AS distributions,
  (SELECT to_jsonb(l) FROM "licence" l WHERE l."id" = d.licence_id) AS licence,
  (SELECT c."activity_pid" FROM "dataset_change" c
     WHERE c."dataset_id" = d.id AND c."change_type" = 'created' AND c."activity_pid" IS NOT NULL
     ORDER BY c."changed_at" ASC LIMIT 1) AS generated_by,
  (SELECT coalesce(jsonb_agg(to_jsonb(v)), '[]'::jsonb) FROM "data_service" v
     WHERE v."source_id" = d.source_id
        OR v."id" IN (SELECT x."data_service_id" FROM "distribution" x
                      WHERE x."dataset_id" = d.id AND x."status" = 'active')) AS services
FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS d(id, source_id, licence_id)`;

interface RecordRow {
  dataset_id: string;
  source: Record<string, unknown> | null;
  properties: Array<Record<string, unknown>>;
  distributions: Array<Record<string, unknown>>;
  licence: Record<string, unknown> | null;
  generated_by: string | null;
  services: Array<Record<string, unknown>>;
}

/**
 * Loads what dataset descriptions need with one statement for a whole page
 * of datasets, so a resolution costs one query here and a catalog page of
 * 1000 datasets costs one, not six thousand.
 */
@Injectable()
export class DatasetRecordsLoader {
  constructor(private readonly dataSource: DataSource) {}

  async load(datasets: DatasetEntity[]): Promise<DatasetRecord[]> {
    if (datasets.length === 0) {
      return [];
    }

    const rows = await this.dataSource.query<RecordRow[]>(LOAD_RECORDS, [
      datasets.map((dataset) => dataset.id),
      datasets.map((dataset) => dataset.sourceId),
      datasets.map((dataset) => dataset.licenceId),
    ]);
    const rowById = new Map(rows.map((row) => [row.dataset_id, row]));

    return datasets.map((dataset) => {
      const row = rowById.get(dataset.id);
      const distributions = (row?.distributions ?? []).map((json) =>
        this.hydrate(DistributionEntity, json),
      );
      const services = (row?.services ?? []).map((json) => this.hydrate(DataServiceEntity, json));
      return {
        dataset,
        source: row?.source ? this.hydrate(SourceSystemEntity, row.source) : null,
        properties: (row?.properties ?? []).map((json) =>
          this.hydrate(ObservablePropertyEntity, json),
        ),
        distributions,
        accessServices: accessServicesOf(distributions, dataset.sourceId, services),
        licence: row?.licence ? this.hydrate(LicenceEntity, row.licence) : null,
        generatedBy: row?.generated_by ?? null,
      };
    });
  }

  /** Build an entity from a row that `to_jsonb` turned into JSON, with the types TypeORM gives it. */
  private hydrate<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    json: Record<string, unknown>,
  ): T {
    const metadata = this.dataSource.getMetadata(target);
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      const raw = json[column.databaseName];
      if (raw === undefined) {
        continue;
      }
      column.setEntityValue(
        entity,
        this.dataSource.driver.prepareHydratedValue(fromJson(raw, column.type), column),
      );
    }
    return entity;
  }
}

/**
 * Convert a value read through `to_jsonb` to the type TypeORM gives its
 * column. JSON has no timestamps, so they arrive as strings, and a double
 * that is not finite arrives as the string "NaN", "Infinity" or "-Infinity".
 */
function fromJson(value: unknown, type: EntityMetadata['columns'][number]['type']): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  if (type === 'timestamptz' || type === 'timestamp with time zone' || type === Date) {
    return new Date(value);
  }
  if (type === 'double precision' || type === 'float8') {
    return Number(value);
  }
  return value;
}

/**
 * Map each distribution to its data service. Harvesters may name the
 * service; when they do not, the endpoint of the dataset's source serves
 * the distribution.
 */
function accessServicesOf(
  distributions: DistributionEntity[],
  sourceId: string,
  services: DataServiceEntity[],
): Map<string, DataServiceEntity> {
  const sourceService = services.find((service) => service.sourceId === sourceId);
  const result = new Map<string, DataServiceEntity>();
  for (const distribution of distributions) {
    const named = services.find((service) => service.id === distribution.dataServiceId);
    const service = named ?? sourceService;
    if (service !== undefined) {
      result.set(distribution.id, service);
    }
  }
  return result;
}
