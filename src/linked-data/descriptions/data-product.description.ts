import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { DataProductEntity } from '../../products/entities/data-product.entity';
import type { ProductQuality } from '../../products/products.service';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import { dateTime } from './rdf-terms';
import type { SiteFacts } from './site-facts';

/**
 * Describe a data product with the Data Product ontology (DPROD), which
 * extends DCAT: the product, its owning domain, its owner when the domain is
 * a team, and one output port, a dcat:DataService (Weft's GraphQL API)
 * serving the member datasets. Only the datasets the viewer may read are
 * listed. The contract and the quality status use Weft terms, because DPROD
 * has none for them.
 */
export function describeDataProduct(
  product: DataProductEntity,
  datasets: DatasetEntity[],
  quality: ProductQuality,
  site: SiteFacts,
): JsonLdNode {
  const domain = {
    '@id': `${product.pid}#domain`,
    '@type': 'dprod:Domain',
    'rdfs:label': product.ownerName,
    'weft:domainKind': product.ownerKind,
  };
  return node({
    '@id': product.pid,
    '@type': 'dprod:DataProduct',
    'dct:identifier': product.pid,
    'dct:title': product.title,
    'dct:description': product.description,
    'dct:issued': dateTime(product.createdAt),
    'dct:modified': dateTime(product.updatedAt),
    'dcat:landingPage': { '@id': site.landingPageOf(product.pid), '@type': 'foaf:Document' },
    'dprod:domain': domain,
    'dprod:dataProductOwner':
      product.ownerKind === 'team'
        ? {
            '@id': `${product.pid}#owner`,
            '@type': ['foaf:Group', 'prov:Agent'],
            'foaf:name': product.ownerName,
          }
        : null,
    'dprod:outputPort': node({
      '@id': `${product.pid}#graphql`,
      '@type': 'dcat:DataService',
      'dct:title': `${product.title} through the Weft GraphQL API`,
      'dcat:endpointURL': { '@id': `${site.baseUrl}/graphql` },
      'dcat:servesDataset': datasets.map((dataset) => ({ '@id': dataset.pid })),
    }),
    'weft:qualityStatus': quality.status,
    'weft:qualityEvaluatedAt': dateTime(quality.evaluatedAt),
    'weft:samplingIntervalSeconds': product.contract.samplingIntervalSeconds,
    'weft:contractField': product.contract.fields.map((field, index) =>
      node({
        '@id': `${product.pid}#field-${index + 1}`,
        '@type': 'weft:ContractField',
        'weft:fieldName': field.name,
        'weft:contractDataset': field.dataset === null ? null : { '@id': field.dataset },
        'weft:expectedDatatype': field.datatype,
        'qudt:ucumCode': field.unit,
        'weft:expectedMinimum': field.minimum,
        'weft:expectedMaximum': field.maximum,
      }),
    ),
  });
}
