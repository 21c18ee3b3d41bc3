import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { DataServiceEntity } from '../catalog/entities/data-service.entity';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { DistributionEntity } from '../catalog/entities/distribution.entity';
import { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import { SourceSystemEntity } from '../catalog/entities/source-system.entity';
import { LicenceEntity } from '../licences/licence.entity';
import { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import type { DatasetRecord } from './descriptions/dataset-record';

/**
 * Loads what dataset descriptions need with one query per table for a whole
 * page of datasets, so a catalog page of 1000 datasets costs six queries,
 * not six thousand.
 */
@Injectable()
export class DatasetRecordsLoader {
  constructor(private readonly dataSource: DataSource) {}

  async load(datasets: DatasetEntity[]): Promise<DatasetRecord[]> {
    if (datasets.length === 0) {
      return [];
    }
    const datasetIds = datasets.map((dataset) => dataset.id);
    const sourceIds = unique(datasets.map((dataset) => dataset.sourceId));
    const licenceIds = unique(datasets.map((dataset) => dataset.licenceId));

    const [sources, properties, distributions, licences, generatedBy] = await Promise.all([
      this.dataSource.getRepository(SourceSystemEntity).find({ where: { id: In(sourceIds) } }),
      this.dataSource
        .getRepository(ObservablePropertyEntity)
        .find({ where: { datasetId: In(datasetIds) }, order: { name: 'ASC' } }),
      this.dataSource
        .getRepository(DistributionEntity)
        .find({ where: { datasetId: In(datasetIds), status: 'active' }, order: { key: 'ASC' } }),
      licenceIds.length === 0
        ? []
        : this.dataSource.getRepository(LicenceEntity).find({ where: { id: In(licenceIds) } }),
      this.firstHarvestRuns(datasetIds),
    ]);
    const services = await this.servicesFor(sourceIds, distributions);

    const sourceById = new Map(sources.map((source) => [source.id, source]));
    const licenceById = new Map(licences.map((licence) => [licence.id, licence]));
    return datasets.map((dataset) => {
      const ownDistributions = distributions.filter(
        (distribution) => distribution.datasetId === dataset.id,
      );
      return {
        dataset,
        source: sourceById.get(dataset.sourceId) ?? null,
        properties: properties.filter((property) => property.datasetId === dataset.id),
        distributions: ownDistributions,
        accessServices: accessServicesOf(ownDistributions, dataset.sourceId, services),
        licence: dataset.licenceId === null ? null : (licenceById.get(dataset.licenceId) ?? null),
        generatedBy: generatedBy.get(dataset.id) ?? null,
      };
    });
  }

  /** Find the harvest run that created each dataset: the activity of its oldest `created` change. */
  private async firstHarvestRuns(datasetIds: string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource
      .getRepository(DatasetChangeEntity)
      .createQueryBuilder('change')
      .select(['change.datasetId', 'change.activityPid'])
      .distinctOn(['change.datasetId'])
      .where('change.datasetId IN (:...datasetIds)', { datasetIds })
      .andWhere("change.changeType = 'created'")
      .andWhere('change.activityPid IS NOT NULL')
      .orderBy('change.datasetId')
      .addOrderBy('change.changedAt', 'ASC')
      .getMany();
    return new Map(rows.map((row) => [row.datasetId, row.activityPid as string]));
  }

  /** Services named by distributions, and the endpoint service of each source as the fallback. */
  private async servicesFor(
    sourceIds: string[],
    distributions: DistributionEntity[],
  ): Promise<DataServiceEntity[]> {
    const serviceIds = unique(distributions.map((distribution) => distribution.dataServiceId));
    const repository = this.dataSource.getRepository(DataServiceEntity);
    const where =
      serviceIds.length === 0
        ? [{ sourceId: In(sourceIds) }]
        : [{ sourceId: In(sourceIds) }, { id: In(serviceIds) }];
    return repository.find({ where });
  }
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

function unique(values: Array<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}
