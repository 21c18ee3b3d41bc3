import type { JsonLdNode } from './json-ld/json-ld.types';
import { FabricQueryRecorder } from '../fabric/provenance/fabric-query-recorder.service';
import { mayReadDataset } from '../auth/dataset-access';
import { ProductsService } from '../products/products.service';
import { Injectable } from '@nestjs/common';

import { CatalogService } from '../catalog/catalog.service';
import type { Resolution } from '../catalog/catalog.service';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import type { DistributionEntity } from '../catalog/entities/distribution.entity';
import { DatasetRecordsLoader } from './dataset-records.loader';
import { describeActivity } from './descriptions/activity.description';
import type { DatasetRecord } from './descriptions/dataset-record';
import {
  describeDataset,
  describeDistribution,
  document,
} from './descriptions/dataset.description';
import { licenceIri, mediaTypeEssence, toIri } from './descriptions/rdf-terms';
import { describeForSchemaOrg } from './descriptions/schema-org.description';
import { describeDataService, describeSource } from './descriptions/source.description';
import type { TombstoneFacts } from './descriptions/tombstone.description';
import { describeTombstone, tombstoneText } from './descriptions/tombstone.description';
import { renderDataProductPage } from './html/data-product-page.renderer';
import { renderDatasetPage } from './html/dataset-page.renderer';
import { describeDataProduct } from './descriptions/data-product.description';
import {
  renderActivityPage,
  renderQueryActivityPage,
  renderDataServicePage,
  renderDistributionPage,
  renderSourcePage,
  renderTombstonePage,
} from './html/entity-page.renderer';
import { LinkedDataError } from './http/linked-data.error';
import type { Representation } from './http/representation';
import { assertCanRead, assertCanReadInputs } from './http/viewer-access';
import type { ViewerAccess } from './http/viewer-access';
import { LinkedDataSite } from './linked-data-site.service';
import type { SignpostFacts, Signposting } from './signposting/signposting';
import { buildSignposting, SCHEMA_ABOUT_PAGE, SCHEMA_DATASET } from './signposting/signposting';
import type { TypedLink } from './signposting/typed-link';

/** The result of resolving an identifier: a representation, or a redirect to where the resource lives. */
export type ResolvedIdentifier =
  | { kind: 'representation'; representation: Representation }
  | { kind: 'redirect'; location: string };

type Active = Extract<Resolution, { state: 'active' | 'withdrawn' }>;

/**
 * Resolves a local identifier to a representation of what it names:
 * dataset, distribution, source, data service or harvest run, or the
 * tombstone of a withdrawn one. Datasets and their distributions are
 * checked against the viewer's roles before anything about them is shown,
 * tombstones included.
 */
@Injectable()
export class IdentifierResolutionService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly records: DatasetRecordsLoader,
    private readonly site: LinkedDataSite,
    private readonly queries: FabricQueryRecorder,
    private readonly products: ProductsService,
  ) {}

  async resolve(localId: string, access: ViewerAccess): Promise<ResolvedIdentifier> {
    const resolution = await this.catalog.resolve(localId);
    if (resolution.state === 'unknown') {
      throw new LinkedDataError(
        'NOT_FOUND',
        `identifier ${localId} was never minted here: check it against the citation you copied`,
      );
    }

    switch (resolution.entityType) {
      case 'dataset':
        return this.represent(await this.dataset(resolution, access));
      case 'distribution':
        return this.represent(await this.distribution(resolution, access));
      case 'source':
        return this.represent(await this.source(resolution));
      case 'data-service':
        return this.represent(await this.dataService(resolution));
      case 'activity':
        return this.represent(await this.activity(resolution, access));
      case 'catalog':
        return { kind: 'redirect', location: this.site.facts.catalogUrl };
      case 'data-product':
        return this.represent(await this.dataProduct(resolution, access));
    }
  }

  private represent(representation: Representation): ResolvedIdentifier {
    return { kind: 'representation', representation };
  }

  private async dataset(resolution: Active, access: ViewerAccess): Promise<Representation> {
    const dataset = await this.catalog.datasetById(resolution.entityId);
    if (dataset === null) {
      throw missingEntity(resolution);
    }
    assertCanRead(dataset, access);
    await assertCanReadInputs(dataset, access, this.catalog);
    if (resolution.state === 'withdrawn') {
      return this.tombstone(resolution, dataset);
    }

    const site = this.site.facts;
    const [record] = await this.records.load([dataset]);
    if (record === undefined) {
      throw missingEntity(resolution);
    }
    const signposting = this.datasetSignposting(record, resolution.localId);
    return {
      status: 200,
      document: document(site, describeDataset(record, site)),
      renderHtml: async () => {
        const [activities, history] = await Promise.all([
          this.catalog.activitiesOf(dataset.id),
          this.catalog.historyOf(dataset.id),
        ]);
        const schemaOrg = describeForSchemaOrg(record, site);
        return renderDatasetPage({
          record,
          activities,
          history,
          schemaOrg,
          alternates: this.site.alternatesOf(resolution.localId),
          site,
        });
      },
      lastModified: latest(dataset.modifiedAt, dataset.lastHarvestedAt),
      cacheScope: cacheScopeOf(dataset),
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  private async distribution(resolution: Active, access: ViewerAccess): Promise<Representation> {
    const distribution = await this.catalog.distributionById(resolution.entityId);
    const dataset =
      distribution === null ? null : await this.catalog.datasetById(distribution.datasetId);
    if (distribution === null || dataset === null) {
      throw missingEntity(resolution);
    }
    assertCanRead(dataset, access);
    if (resolution.state === 'withdrawn') {
      return this.tombstone(resolution, null);
    }

    const site = this.site.facts;
    const [record] = await this.records.load([dataset]);
    if (record === undefined) {
      throw missingEntity(resolution);
    }
    const service = record.accessServices.get(distribution.id) ?? null;
    const description = describeDistribution(distribution, record, site);
    const signposting = this.signposting(resolution.localId, distribution.pid, {
      licence: record.licence === null ? null : (licenceIri(record.licence) ?? null),
      items: itemLinks([distribution]),
      collection: site.landingPageOf(dataset.pid),
    });
    return {
      status: 200,
      // The dataset links to its distributions (dcat:distribution); @reverse states that link from this side.
      document: document(site, {
        ...description,
        '@reverse': { 'dcat:distribution': { '@id': dataset.pid } },
      }),
      renderHtml: async () =>
        renderDistributionPage(
          distribution,
          dataset,
          service,
          this.site.alternatesOf(resolution.localId),
          site,
        ),
      lastModified: latest(dataset.modifiedAt, dataset.lastHarvestedAt),
      cacheScope: cacheScopeOf(dataset),
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  private async source(resolution: Active): Promise<Representation> {
    const source = await this.catalog.sourceById(resolution.entityId);
    if (source === null) {
      throw missingEntity(resolution);
    }
    if (resolution.state === 'withdrawn') {
      return this.tombstone(resolution, null);
    }
    const site = this.site.facts;
    const service = await this.catalog.dataServiceOfSource(source.id);
    const signposting = this.signposting(resolution.localId, source.pid, {});
    return {
      status: 200,
      document: document(site, describeSource(source, service)),
      renderHtml: async () =>
        renderSourcePage(source, service, this.site.alternatesOf(resolution.localId), site),
      lastModified: source.updatedAt,
      cacheScope: 'public',
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  private async dataService(resolution: Active): Promise<Representation> {
    const service = await this.catalog.dataServiceById(resolution.entityId);
    if (service === null) {
      throw missingEntity(resolution);
    }
    if (resolution.state === 'withdrawn') {
      return this.tombstone(resolution, null);
    }
    const site = this.site.facts;
    const source =
      service.sourceId === null ? null : await this.catalog.sourceById(service.sourceId);
    const sourcePid = source?.pid ?? null;
    const signposting = this.signposting(resolution.localId, service.pid, {});
    return {
      status: 200,
      document: document(site, describeDataService(service, sourcePid, site)),
      renderHtml: async () =>
        renderDataServicePage(service, sourcePid, this.site.alternatesOf(resolution.localId), site),
      lastModified: null,
      cacheScope: 'public',
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  /**
   * Represent a harvest run by its stored PROV-O document. The document
   * lists the identifiers of the datasets the run touched whatever their
   * access level, as GraphQL's harvestRuns query does, but no titles or
   * other metadata of them.
   */
  private async activity(resolution: Active, access: ViewerAccess): Promise<Representation> {
    const run = await this.catalog.harvestRun(resolution.entityId);
    if (run === null) {
      return this.queryActivity(resolution, access);
    }
    if (resolution.state === 'withdrawn') {
      return this.tombstone(resolution, null);
    }
    const site = this.site.facts;
    const source = await this.catalog.sourceById(run.sourceId);
    const sourcePid = source?.pid ?? null;
    const prov = describeActivity(run, sourcePid);
    const signposting = this.signposting(resolution.localId, run.pid, {});
    return {
      status: 200,
      document: prov,
      renderHtml: async () =>
        renderActivityPage(run, sourcePid, prov, this.site.alternatesOf(resolution.localId), site),
      lastModified: run.endedAt ?? run.startedAt,
      cacheScope: 'public',
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  /**
   * A data product with its owner and quality status. The product itself is
   * public, but the page lists only the member datasets the viewer may read
   * and only their quality checks. The overall status covers all members.
   */
  private async dataProduct(resolution: Active, access: ViewerAccess): Promise<Representation> {
    const product = await this.products.byId(resolution.entityId);
    if (product === null) {
      throw missingEntity(resolution);
    }
    if (resolution.state === 'withdrawn') {
      return this.tombstone(resolution, null);
    }
    const now = new Date();
    const quality = await this.products.quality(product, now);
    const datasets = (await this.products.membersOf(product.id)).filter((dataset) =>
      mayReadDataset(access.viewer, dataset, now),
    );
    const readable = new Set(datasets.map((dataset) => dataset.pid));
    const readableQuality = {
      ...quality,
      checks: quality.checks.filter((check) => readable.has(check.datasetPid)),
    };
    const site = this.site.facts;
    const signposting = this.signposting(resolution.localId, product.pid, {});
    return {
      status: 200,
      document: document(site, describeDataProduct(product, datasets, quality, site)),
      renderHtml: async () =>
        renderDataProductPage({
          product,
          datasets,
          quality: readableQuality,
          alternates: this.site.alternatesOf(resolution.localId),
          site,
        }),
      lastModified: null,
      // Quality changes with time and the dataset list with the viewer.
      cacheScope: 'private',
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  /**
   * A data query recorded by the fabric. Its record names the datasets it
   * read, so the viewer must be allowed to read each of them, as for the
   * query itself.
   */
  private async queryActivity(resolution: Active, access: ViewerAccess): Promise<Representation> {
    const query = await this.queries.byId(resolution.entityId);
    if (query === null) {
      throw missingEntity(resolution);
    }
    for (const pid of query.datasets) {
      const dataset = await this.catalog.datasetByPid(pid);
      if (dataset !== null) {
        assertCanRead(dataset, access);
      }
    }
    const site = this.site.facts;
    const signposting = this.signposting(resolution.localId, query.pid, {});
    return {
      status: 200,
      document: query.prov as JsonLdNode,
      renderHtml: async () =>
        renderQueryActivityPage(query, this.site.alternatesOf(resolution.localId), site),
      lastModified: query.endedAt,
      cacheScope: 'private',
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  /** The 410 Gone representation of a withdrawn identifier. */
  private async tombstone(
    resolution: Active,
    dataset: DatasetEntity | null,
  ): Promise<Representation> {
    const withdrawnAt =
      resolution.state === 'withdrawn'
        ? resolution.withdrawnAt
        : (dataset?.withdrawnAt ?? new Date(0));
    const recorded = resolution.state === 'withdrawn' ? resolution.tombstone : {};
    const source = dataset === null ? null : await this.catalog.sourceById(dataset.sourceId);
    const facts: TombstoneFacts = {
      pid: dataset?.pid ?? this.site.pidOf(resolution.localId),
      entityType: resolution.entityType,
      withdrawnAt,
      title: dataset?.title ?? tombstoneText(recorded, 'title'),
      reason: dataset?.withdrawnReason ?? tombstoneText(recorded, 'reason'),
      naturalKey: dataset?.naturalKey ?? tombstoneText(recorded, 'naturalKey'),
      issued: dataset?.firstHarvestedAt ?? null,
      sourcePid: source?.pid ?? null,
    };
    const site = this.site.facts;
    // A tombstone is still cited by its identifier, and its metadata stays available.
    const signposting = this.signposting(resolution.localId, facts.pid, {});
    return {
      status: 410,
      document: document(site, describeTombstone(facts)),
      renderHtml: async () =>
        renderTombstonePage(facts, this.site.alternatesOf(resolution.localId), site),
      lastModified: withdrawnAt,
      cacheScope: dataset === null ? 'public' : cacheScopeOf(dataset),
      links: signposting.header,
      linkset: signposting.linkset,
    };
  }

  /**
   * Signposting of a dataset's landing page: typed as a schema.org Dataset
   * described by an AboutPage, with its licence, its distributions as
   * items and the publisher as author.
   */
  private datasetSignposting(record: DatasetRecord, localId: string): Signposting {
    return this.signposting(localId, record.dataset.pid, {
      types: [SCHEMA_DATASET, SCHEMA_ABOUT_PAGE],
      licence: record.licence === null ? null : (licenceIri(record.licence) ?? null),
      items: itemLinks(record.distributions),
      authors: [this.site.facts.publisherId],
    });
  }

  private signposting(
    localId: string,
    pid: string,
    facts: Partial<Omit<SignpostFacts, 'landingPage' | 'pid'>>,
  ): Signposting {
    return buildSignposting({
      landingPage: this.site.resolverUrlOf(localId),
      pid,
      types: facts.types ?? [],
      licence: facts.licence ?? null,
      items: facts.items ?? [],
      authors: facts.authors ?? [],
      collection: facts.collection ?? null,
    });
  }
}

/** `item` links to where the distributions' data can be had, typed with their media types. */
function itemLinks(distributions: DistributionEntity[]): TypedLink[] {
  const links: TypedLink[] = [];
  for (const distribution of distributions) {
    const href = toIri(distribution.accessUrl);
    if (href === undefined) {
      continue;
    }
    const type = mediaTypeEssence(distribution.mediaType);
    links.push(type === undefined ? { href, rel: 'item' } : { href, rel: 'item', type });
  }
  return links;
}

function missingEntity(resolution: Active): LinkedDataError {
  // The registry names an entity whose row is gone; rows are never deleted, so this is a damaged database.
  return new LinkedDataError(
    'NOT_FOUND',
    `identifier ${resolution.localId} names a ${resolution.entityType} that is missing from the catalog: report this to the site's administrator`,
  );
}

function cacheScopeOf(dataset: DatasetEntity): 'public' | 'private' {
  return dataset.accessLevel === 'public' ? 'public' : 'private';
}

function latest(left: Date, right: Date): Date {
  return left > right ? left : right;
}
