import type { IdentifiedEntityType } from '../../identifiers/identifier.entity';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import { ADMS_WITHDRAWN, dateTime } from './rdf-terms';

/** Facts about a withdrawn identifier's entity, from the identifier registry and, for datasets, the kept row. */
export interface TombstoneFacts {
  pid: string;
  entityType: IdentifiedEntityType;
  withdrawnAt: Date;
  title: string | null;
  reason: string | null;
  naturalKey: string | null;
  issued: Date | null;
  sourcePid: string | null;
}

const TYPE_OF: Record<IdentifiedEntityType, string> = {
  catalog: 'dcat:Catalog',
  dataset: 'dcat:Dataset',
  distribution: 'dcat:Distribution',
  'data-service': 'dcat:DataService',
  source: 'weft:SourceSystem',
  activity: 'prov:Activity',
  'data-product': 'dprod:DataProduct',
};

/** Read the tombstone kept in the identifier registry (`{ type, title, naturalKey, reason }`). */
export function tombstoneText(tombstone: Record<string, unknown>, key: string): string | null {
  const value = tombstone[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Describe the tombstone of a withdrawn identifier: what it named, when it was
 * withdrawn (prov:invalidatedAtTime) and why. Identifiers are never reused,
 * so the tombstone is all the identifier will ever return.
 */
export function describeTombstone(facts: TombstoneFacts): JsonLdNode {
  return node({
    '@id': facts.pid,
    '@type': TYPE_OF[facts.entityType],
    'dct:identifier': facts.pid,
    'dct:title': facts.title,
    'dct:issued': dateTime(facts.issued),
    'prov:wasDerivedFrom': facts.sourcePid,
    'weft:naturalKey': facts.naturalKey,
    'adms:status': ADMS_WITHDRAWN,
    'prov:invalidatedAtTime': dateTime(facts.withdrawnAt),
    'weft:withdrawalReason': facts.reason,
  });
}
