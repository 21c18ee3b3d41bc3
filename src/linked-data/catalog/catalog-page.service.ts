import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { CatalogService } from '../../catalog/catalog.service';
import { applyDatasetFilter } from '../../catalog/dataset-search';
import type { DataServiceEntity } from '../../catalog/entities/data-service.entity';
import { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import { DatasetRecordsLoader } from '../dataset-records.loader';
import { describeCatalogPage } from '../descriptions/catalog.description';
import { LinkedDataError } from '../http/linked-data.error';
import type { Representation } from '../http/representation';
import type { ViewerAccess } from '../http/viewer-access';
import { LinkedDataSite } from '../linked-data-site.service';
import type { TypedLink } from '../signposting/typed-link';

export const DEFAULT_CATALOG_PAGE_SIZE = 100;
export const MAX_CATALOG_PAGE_SIZE = 1000;

/**
 * Builds the pages of the DCAT catalog for harvesters. Pages are numbered
 * rather than cursor-based because DCAT harvesters follow page links. Each
 * lists the active datasets the viewer may read in the order they entered
 * the catalog, so a dataset harvested during a crawl lands on the last page
 * instead of shifting the pages before it.
 */
@Injectable()
export class CatalogPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
    private readonly records: DatasetRecordsLoader,
    private readonly site: LinkedDataSite,
  ) {}

  async page(access: ViewerAccess, page: number, pageSize: number): Promise<Representation> {
    const query = this.dataSource.getRepository(DatasetEntity).createQueryBuilder('dataset');
    applyDatasetFilter(query, {}, access.viewer);
    const [totalItems, dates] = await Promise.all([
      query.clone().getCount(),
      query
        .clone()
        .select('MIN(dataset.firstHarvestedAt)', 'issued')
        .addSelect('MAX(dataset.modifiedAt)', 'modified')
        .getRawOne<{ issued: Date | string | null; modified: Date | string | null }>(),
    ]);
    const lastPage = Math.max(1, Math.ceil(totalItems / pageSize));
    if (page > lastPage) {
      throw new LinkedDataError(
        'NOT_FOUND',
        `page ${page} is past the last page (${lastPage}) of ${totalItems} datasets at pageSize=${pageSize}: follow the hydra:next links from page 1`,
      );
    }

    const datasets = await query
      .orderBy('dataset.createdAt', 'ASC')
      .addOrderBy('dataset.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getMany();
    const [records, services] = await Promise.all([
      this.records.load(datasets),
      this.servicesWithSources(),
    ]);

    const site = this.site.facts;
    const pageUrl = (number: number): string =>
      `${site.catalogUrl}?page=${number}&pageSize=${pageSize}`;
    const document = describeCatalogPage(
      {
        page,
        pageSize,
        totalItems,
        lastPage,
        issued: toDate(dates?.issued ?? null),
        modified: toDate(dates?.modified ?? null),
        datasets: records,
        services,
        pageUrl,
      },
      site,
    );
    return {
      status: 200,
      document,
      renderHtml: null,
      lastModified: null,
      cacheScope: access.signedIn ? 'private' : 'public',
      links: pagingLinks(page, lastPage, pageUrl),
      linkset: null,
    };
  }

  private async servicesWithSources(): Promise<
    Array<{ service: DataServiceEntity; sourcePid: string | null }>
  > {
    const services = await this.catalog.dataServices();
    const sourceIds = services
      .map((service) => service.sourceId)
      .filter((id): id is string => id !== null);
    const sources =
      sourceIds.length === 0
        ? []
        : await this.dataSource
            .getRepository(SourceSystemEntity)
            .find({ where: { id: In(sourceIds) } });
    const pidById = new Map(sources.map((source) => [source.id, source.pid]));
    return services.map((service) => ({
      service,
      sourcePid: service.sourceId === null ? null : (pidById.get(service.sourceId) ?? null),
    }));
  }
}

/** PostgreSQL returns aggregates of timestamptz as Date objects, PGlite may return text. */
function toDate(value: Date | string | null): Date | null {
  if (value === null) {
    return null;
  }
  return value instanceof Date ? value : new Date(value);
}

/** Build the `Link` header links for paging (RFC 8288): first, prev, next and last. */
function pagingLinks(
  page: number,
  lastPage: number,
  pageUrl: (page: number) => string,
): TypedLink[] {
  const links: TypedLink[] = [{ href: pageUrl(1), rel: 'first' }];
  if (page > 1) {
    links.push({ href: pageUrl(page - 1), rel: 'prev' });
  }
  if (page < lastPage) {
    links.push({ href: pageUrl(page + 1), rel: 'next' });
  }
  links.push({ href: pageUrl(lastPage), rel: 'last' });
  return links;
}
