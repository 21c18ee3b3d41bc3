import type { DataServiceEntity } from '../../catalog/entities/data-service.entity';
import type { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import { contactPointNode, publisherNode } from './agents.description';
import { dateTime, locationNode, resourceNode, toIri } from './rdf-terms';
import type { SiteFacts } from './site-facts';

/**
 * Describe a source system of the site (broker, OPC UA server, InfluxDB). It is a
 * prov:Entity because datasets are prov:wasDerivedFrom it. Its
 * configuration stays out: it names secret files and internal settings.
 */
export function describeSource(
  source: SourceSystemEntity,
  service: DataServiceEntity | null,
): JsonLdNode {
  return node({
    '@id': source.pid,
    '@type': ['weft:SourceSystem', 'prov:Entity'],
    'dct:identifier': source.pid,
    'dct:title': source.title,
    'dct:description': source.description,
    'dct:spatial': source.place === null ? null : locationNode(source.place),
    'weft:sourceKey': source.sourceKey,
    'weft:sourceKind': source.kind,
    'weft:status': source.status,
    'weft:dataService': service?.pid,
    'weft:lastHarvestedAt': dateTime(source.lastHarvestAt),
    'weft:lastHarvestStatus': source.lastHarvestStatus,
  });
}

/**
 * Describe a dcat:DataService: the endpoint of a source, or one of Weft's
 * own APIs. The specification it conforms to is typed dct:Standard, as the
 * DCAT-AP 3 range shapes require.
 */
export function describeDataService(
  service: DataServiceEntity,
  sourcePid: string | null,
  site: SiteFacts,
): JsonLdNode {
  const standard = toIri(service.conformsTo);
  const endpoint = toIri(service.endpointUrl);
  return node({
    '@id': service.pid,
    '@type': 'dcat:DataService',
    'dct:identifier': service.pid,
    'dct:title': service.title,
    'dcat:endpointURL': endpoint === undefined ? null : resourceNode(endpoint),
    'dct:conformsTo': standard === undefined ? null : { '@id': standard, '@type': 'dct:Standard' },
    'dcat:endpointDescription': toIri(service.endpointDescription),
    'dct:publisher': publisherNode(site),
    'dcat:contactPoint': contactPointNode(site),
    'weft:sourceSystem': sourcePid,
  });
}
