import { PROV_CONTEXT } from '../../provenance/prov-document';
import type { PushedDownQuery } from '../frame';
import type { FabricOperation, FabricQueryStatus } from './fabric-query.entity';

/** Name and version of the fabric, recorded as the software agent of each query. */
export const FABRIC_AGENT = 'weft-fabric/0.1.0';

/** Statements written into the PROV-O document; the row in fabric_query keeps them all. */
const MAX_STATEMENTS_IN_DOCUMENT = 100;

export interface FabricQueryFacts {
  activityPid: string;
  operation: FabricOperation;
  status: FabricQueryStatus;
  requestedBy: string | null;
  startedAt: Date;
  endedAt: Date;
  input: Record<string, unknown>;
  datasets: string[];
  sources: string[];
  pushedDown: PushedDownQuery[];
  rowCount: number;
  resultChecksum: string | null;
  error: string | null;
}

/**
 * Build the PROV-O description of one data query: the activity used the
 * datasets and the sources that answered, was associated with the fabric
 * (a prov:SoftwareAgent with its version) and with the person who asked,
 * and records the query, the statements the sources ran, the row count and
 * a checksum of the result (RDA recommendations on citing dynamic data:
 * query store, timestamp, result verification).
 */
export function fabricQueryDocument(facts: FabricQueryFacts): Record<string, unknown> {
  const agents: Array<Record<string, unknown>> = [
    {
      '@id': `urn:weft:software:${encodeURIComponent(FABRIC_AGENT)}`,
      '@type': 'prov:SoftwareAgent',
      'rdfs:label': FABRIC_AGENT,
    },
  ];
  if (facts.requestedBy !== null) {
    agents.push({
      '@id': `urn:weft:account:${encodeURIComponent(facts.requestedBy)}`,
      '@type': 'prov:Person',
    });
  }

  const document: Record<string, unknown> = {
    '@context': PROV_CONTEXT,
    '@id': facts.activityPid,
    '@type': ['prov:Activity', 'weft:DataQuery'],
    'rdfs:label': `${facts.operation} query over ${facts.datasets.length === 1 ? 'one dataset' : `${facts.datasets.length} datasets`}`,
    'prov:startedAtTime': facts.startedAt.toISOString(),
    'prov:endedAtTime': facts.endedAt.toISOString(),
    'prov:used': [...facts.datasets, ...facts.sources],
    'prov:wasAssociatedWith': agents,
    'weft:operation': facts.operation,
    'weft:status': facts.status,
    'weft:durationMs': facts.endedAt.getTime() - facts.startedAt.getTime(),
    'weft:rowCount': facts.rowCount,
    'weft:query': { '@type': '@json', '@value': facts.input },
    'weft:pushedDownQueryCount': facts.pushedDown.length,
    'weft:pushedDownQuery': facts.pushedDown.slice(0, MAX_STATEMENTS_IN_DOCUMENT).map((query) => ({
      'weft:language': query.language,
      'weft:statement': query.statement,
      'weft:parameters': { '@type': '@json', '@value': query.params },
      'weft:source': { '@id': query.sourcePid },
      'weft:rowCount': query.rowCount,
    })),
  };
  if (facts.resultChecksum !== null) {
    document['weft:resultChecksum'] = `sha256:${facts.resultChecksum}`;
  }
  if (facts.error !== null) {
    document['rdfs:comment'] = facts.error;
  }
  return document;
}
