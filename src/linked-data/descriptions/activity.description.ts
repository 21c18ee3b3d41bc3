import type { HarvestRunEntity } from '../../provenance/harvest-run.entity';
import { PROV_CONTEXT } from '../../provenance/prov-document';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import { dateTime } from './rdf-terms';

/**
 * Describe a harvest run in PROV-O JSON-LD with the document stored when
 * the run ended. A run still in progress has none yet, so it gets a minimal
 * prov:Activity with what is known so far.
 */
export function describeActivity(run: HarvestRunEntity, sourcePid: string | null): JsonLdNode {
  if (Object.keys(run.prov).length > 0) {
    return run.prov as unknown as JsonLdNode;
  }
  return node({
    '@context': PROV_CONTEXT,
    '@id': run.pid,
    '@type': ['prov:Activity', 'weft:HarvestRun'],
    'prov:startedAtTime': dateTime(run.startedAt),
    'prov:endedAtTime': dateTime(run.endedAt),
    'prov:used': sourcePid,
    'weft:trigger': run.trigger,
    'weft:status': run.status,
  });
}
