import { buildCrateMetadata } from './ro-crate-metadata';
import type { CrateDescription } from './ro-crate-metadata';

const DESCRIPTION: Omit<CrateDescription, 'licence'> = {
  exportId: 'e1',
  dataset: {
    pid: 'https://w3id.org/site/d1',
    title: 'bioreactor',
    description: 'Reactor logger.',
    keywords: [],
  },
  source: { pid: 'https://w3id.org/site/s1', title: 'Lab InfluxDB', kind: 'influxdb-v1' },
  publisher: { id: 'https://ror.org/000000000', name: 'Lab' },
  serviceUrl: 'https://weft.example/',
  requestedBy: { id: 'urn:weft:account:alice', name: 'alice' },
  window: { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-03-01T01:00:00Z') },
  startedAt: new Date('2026-01-01T10:00:00Z'),
  endedAt: new Date('2026-01-01T10:00:02Z'),
  rowCount: 120,
  files: [
    {
      path: 'data/bioreactor.csv',
      name: 'bioreactor.csv',
      description: '120 rows as CSV.',
      encodingFormat: 'text/csv',
      contentSize: 4000,
      sha256: 'aa',
    },
  ],
  manifest: {
    path: 'manifest-sha256.txt',
    name: 'manifest-sha256.txt',
    description: 'Checksums.',
    encodingFormat: 'text/plain',
    contentSize: 90,
    sha256: 'bb',
  },
  queries: [
    {
      sourcePid: 'https://w3id.org/site/s1',
      language: 'InfluxQL',
      statement: 'SELECT 1',
      executions: 2,
      rowCount: 120,
    },
  ],
  harvestRuns: [
    {
      pid: 'https://w3id.org/site/h1',
      status: 'running',
      startedAt: new Date('2025-12-31T00:00:00Z'),
      endedAt: null,
      sourcePid: 'https://w3id.org/site/s1',
    },
  ],
};

type Entity = Record<string, unknown> & { '@id': string };

function graphOf(crate: CrateDescription): Map<string, Entity> {
  const metadata = buildCrateMetadata(crate) as { '@context': string; '@graph': Entity[] };
  expect(metadata['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
  return new Map(metadata['@graph'].map((entity) => [entity['@id'], entity]));
}

describe('buildCrateMetadata', () => {
  it('describes the root dataset', () => {
    const graph = graphOf({
      ...DESCRIPTION,
      licence: {
        id: 'CC-BY-4.0',
        name: 'CC BY 4.0',
        url: 'https://creativecommons.org/licenses/by/4.0/',
      },
    });

    expect(graph.get('./')).toEqual({
      '@id': './',
      '@type': 'Dataset',
      name: 'bioreactor, 2024-03-01T00:00:00.000Z/2024-03-01T01:00:00.000Z',
      description:
        '120 rows of bioreactor from 2024-03-01T00:00:00.000Z (included) to 2024-03-01T01:00:00.000Z (excluded), read from its source by Weft, as CSV and Parquet. Reactor logger.',
      datePublished: '2026-01-01T10:00:02.000Z',
      identifier: 'https://w3id.org/site/d1',
      'cite-as': 'https://w3id.org/site/d1',
      temporalCoverage: '2024-03-01T00:00:00.000Z/2024-03-01T01:00:00.000Z',
      license: { '@id': 'https://creativecommons.org/licenses/by/4.0/' },
      author: { '@id': 'https://ror.org/000000000' },
      publisher: { '@id': 'https://ror.org/000000000' },
      isBasedOn: { '@id': 'https://w3id.org/site/d1' },
      hasPart: [{ '@id': 'data/bioreactor.csv' }, { '@id': 'manifest-sha256.txt' }],
      mentions: [{ '@id': '#export-e1' }, { '@id': 'https://w3id.org/site/h1' }],
    });
    expect(graph.get('https://ror.org/000000000')).toEqual({
      '@id': 'https://ror.org/000000000',
      '@type': 'Organization',
      name: 'Lab',
      url: 'https://ror.org/000000000',
    });
  });

  it('says when no licence is assigned', () => {
    const graph = graphOf({ ...DESCRIPTION, licence: null });

    expect(graph.get('./')?.license).toEqual({ '@id': '#no-licence' });
    expect(graph.get('#no-licence')?.name).toBe('no licence assigned');
  });

  it('gives a custom licence without URL a local id', () => {
    const graph = graphOf({
      ...DESCRIPTION,
      licence: { id: 'LicenseRef-lab', name: 'Lab terms', url: null },
    });

    expect(graph.get('./')?.license).toEqual({ '@id': '#licence-LicenseRef-lab' });
    expect(graph.get('#licence-LicenseRef-lab')?.identifier).toBe('LicenseRef-lab');
  });

  it('records files, queries and harvest runs', () => {
    const graph = graphOf({ ...DESCRIPTION, licence: null });

    expect(graph.get('data/bioreactor.csv')).toEqual({
      '@id': 'data/bioreactor.csv',
      '@type': 'File',
      name: 'bioreactor.csv',
      description: '120 rows as CSV.',
      encodingFormat: 'text/csv',
      contentSize: '4000',
      sha256: 'aa',
    });
    expect(graph.get('#query-1')?.text).toBe('SELECT 1');
    expect(graph.get('#query-1')?.description).toContain('InfluxQL run 2 times (once per page)');
    expect(graph.get('#export-e1')?.actionStatus).toEqual({
      '@id': 'http://schema.org/CompletedActionStatus',
    });
    expect(graph.get('https://w3id.org/site/h1')).toEqual({
      '@id': 'https://w3id.org/site/h1',
      '@type': 'UpdateAction',
      name: 'Harvest run https://w3id.org/site/h1',
      description: "A harvest run that recorded or changed the dataset's metadata in the catalog.",
      instrument: { '@id': '#weft' },
      object: { '@id': 'https://w3id.org/site/s1' },
      result: { '@id': 'https://w3id.org/site/d1' },
      startTime: '2025-12-31T00:00:00.000Z',
      actionStatus: { '@id': 'http://schema.org/ActiveActionStatus' },
    });
    expect(graph.get('http://schema.org/ActiveActionStatus')).toEqual({
      '@id': 'http://schema.org/ActiveActionStatus',
      '@type': 'ActionStatusType',
      name: 'Active',
    });
  });
});
