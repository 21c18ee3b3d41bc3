import type { HarvestIssue } from '../harvest/harvest.types';
import type { SnapshotChanges } from '../harvest/ingest/snapshot-writer.service';

/** JSON-LD context for PROV-O activity records (https://www.w3.org/TR/prov-o/). */
export const PROV_CONTEXT = {
  prov: 'http://www.w3.org/ns/prov#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  dct: 'http://purl.org/dc/terms/',
  weft: 'https://w3id.org/weft/ns#',
  'prov:startedAtTime': { '@type': 'xsd:dateTime' },
  'prov:endedAtTime': { '@type': 'xsd:dateTime' },
  'prov:used': { '@type': '@id' },
  'prov:generated': { '@type': '@id' },
  'prov:wasAssociatedWith': { '@type': '@id' },
  'prov:wasStartedBy': { '@type': '@id' },
  'weft:updated': { '@type': '@id', '@container': '@set' },
  'weft:withdrawn': { '@type': '@id', '@container': '@set' },
  'weft:restored': { '@type': '@id', '@container': '@set' },
} as const;

export interface HarvestActivityFacts {
  activityPid: string;
  sourcePid: string;
  sourceTitle: string;
  harvester: string;
  trigger: string;
  requestedBy: string | null;
  startedAt: Date;
  endedAt: Date;
  status: string;
  changes: SnapshotChanges;
  issues: HarvestIssue[];
  datasetCount: number;
}

/**
 * Build the PROV-O description of one harvest run: the activity used the
 * source, was associated with the harvester (a prov:SoftwareAgent named
 * with its version) and, when a person asked for it, with that person;
 * it generated the new datasets, and lists what it updated and withdrew.
 */
export function harvestActivityDocument(facts: HarvestActivityFacts): Record<string, unknown> {
  const agents: Array<Record<string, unknown>> = [
    {
      '@id': `urn:weft:software:${encodeURIComponent(facts.harvester)}`,
      '@type': 'prov:SoftwareAgent',
      'rdfs:label': facts.harvester,
    },
  ];
  if (facts.requestedBy !== null) {
    agents.push({
      '@id': `urn:weft:account:${encodeURIComponent(facts.requestedBy)}`,
      '@type': 'prov:Person',
    });
  }

  return {
    '@context': PROV_CONTEXT,
    '@id': facts.activityPid,
    '@type': ['prov:Activity', 'weft:HarvestRun'],
    'rdfs:label': `Harvest of ${facts.sourceTitle}`,
    'prov:startedAtTime': facts.startedAt.toISOString(),
    'prov:endedAtTime': facts.endedAt.toISOString(),
    'prov:used': facts.sourcePid,
    'prov:wasAssociatedWith': agents,
    'weft:trigger': facts.trigger,
    'weft:status': facts.status,
    'weft:datasetsObserved': facts.datasetCount,
    'weft:datasetsUnchanged': facts.changes.unchanged,
    'prov:generated': facts.changes.created,
    'weft:updated': facts.changes.updated,
    'weft:withdrawn': facts.changes.withdrawn,
    'weft:restored': facts.changes.restored,
    'weft:issues': facts.issues.slice(0, 200).map((issue) => ({
      'weft:severity': issue.severity,
      'weft:subject': issue.subject,
      'rdfs:comment': issue.message,
    })),
  };
}
