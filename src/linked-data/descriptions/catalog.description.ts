import type { DataServiceEntity } from '../../catalog/entities/data-service.entity';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import type { DatasetRecord } from './dataset-record';
import { conceptSchemeNode, publisherNode } from './agents.description';
import { DATA_THEME_SCHEME } from './controlled-vocabularies';
import { describeDataset } from './dataset.description';
import { dateTime } from './rdf-terms';
import type { SiteFacts } from './site-facts';
import { describeDataService } from './source.description';

/** One page of the DCAT catalog, as the viewer may see it. */
export interface CatalogPageFacts {
  /** 1-based page number. */
  page: number;
  pageSize: number;
  /** Datasets the viewer may read, over all pages. */
  totalItems: number;
  /** Number of the last page; 1 for an empty catalog. */
  lastPage: number;
  /** When the first of the viewer's datasets entered the catalog (dct:issued); null for an empty catalog. */
  issued: Date | null;
  /** When metadata of the viewer's datasets last changed (dct:modified); null for an empty catalog. */
  modified: Date | null;
  datasets: DatasetRecord[];
  services: Array<{ service: DataServiceEntity; sourcePid: string | null }>;
  /** URL of a page of the same size. */
  pageUrl(page: number): string;
}

/**
 * Describe one page of the dcat:Catalog with the properties DCAT-AP 3
 * requires (title, description, publisher) and recommends (language,
 * homepage, theme taxonomy). The catalog is also a hydra:Collection, so
 * harvesters page through it with the Hydra Core terms: hydra:totalItems on
 * the collection, and a hydra:PartialCollectionView for the page with links
 * to the first, previous, next and last pages. Every page lists the data
 * services, so a harvester that reads only one page still finds them.
 */
export function describeCatalogPage(facts: CatalogPageFacts, site: SiteFacts): JsonLdNode {
  return node({
    '@context': site.contextUrl,
    '@id': site.catalogUrl,
    '@type': ['dcat:Catalog', 'hydra:Collection'],
    'dct:title': site.catalogTitle,
    'dct:description': site.catalogDescription,
    'dct:publisher': publisherNode(site),
    'dct:issued': dateTime(facts.issued),
    'dct:modified': dateTime(facts.modified),
    'dct:language': { '@id': site.language, '@type': 'dct:LinguisticSystem' },
    'foaf:homepage': { '@id': `${site.baseUrl}/`, '@type': 'foaf:Document' },
    'dcat:themeTaxonomy': site.themes.length === 0 ? null : conceptSchemeNode(DATA_THEME_SCHEME),
    'hydra:totalItems': facts.totalItems,
    'hydra:view': node({
      '@id': facts.pageUrl(facts.page),
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': facts.pageUrl(1),
      'hydra:previous': facts.page > 1 ? facts.pageUrl(facts.page - 1) : null,
      'hydra:next': facts.page < facts.lastPage ? facts.pageUrl(facts.page + 1) : null,
      'hydra:last': facts.pageUrl(facts.lastPage),
    }),
    'dcat:dataset': facts.datasets.map((record) => describeDataset(record, site)),
    'dcat:service': facts.services.map(({ service, sourcePid }) =>
      describeDataService(service, sourcePid, site),
    ),
  });
}
