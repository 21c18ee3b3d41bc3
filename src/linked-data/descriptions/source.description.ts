import type { DataServiceEntity } from '../../catalog/entities/data-service.entity';
import type { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import { locationNode } from './dataset.description';
import { dateTime, toIri } from './rdf-terms';

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

/** Describe a dcat:DataService: the endpoint of a source, or one of Weft's own APIs. */
export function describeDataService(
  service: DataServiceEntity,
  sourcePid: string | null,
): JsonLdNode {
  return node({
    '@id': service.pid,
    '@type': 'dcat:DataService',
    'dct:identifier': service.pid,
    'dct:title': service.title,
    'dcat:endpointURL': toIri(service.endpointUrl),
    'dct:conformsTo': toIri(service.conformsTo),
    'dcat:endpointDescription': toIri(service.endpointDescription),
    'weft:sourceSystem': sourcePid,
  });
}
