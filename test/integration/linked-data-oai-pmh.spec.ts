import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import type { App } from 'supertest/types';

import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { LicencesService } from '../../src/licences/licences.service';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import {
  harvestFixture,
  kitchenClimate,
  STEWARD,
  TEMPERATURE,
  topicDataset,
} from './linked-data.fixtures';
import { oaiPmhSchema, validateAgainstSchema } from './linked-data-xml-schema.fixtures';

// OAI-PMH 2.0 at /oai. The site starts datasets at access level "site", as
// real sites do; a steward publishes them. Every response is validated
// against the protocol's XML Schema.

const BASE = 'http://weft.test/oai';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

let testApp: TestApp;
let server: App;
let schema: string;
const pids = {
  kitchen: '',
  published: [] as string[],
  lab: [] as string[],
  neverPublic: '',
  unpublished: '',
  withdrawn: '',
};

/** What fast-xml-parser returns: untyped, as the shape follows the document. */
type Parsed = ReturnType<XMLParser['parse']>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  isArray: (name) =>
    [
      'header',
      'record',
      'set',
      'metadataFormat',
      'dc:subject',
      'dc:rights',
      'dc:coverage',
      'dc:format',
    ].includes(name),
});

beforeAll(async () => {
  schema = oaiPmhSchema();
  testApp = await startTestApp({
    WEFT_DEFAULT_ACCESS_LEVEL: 'site',
    WEFT_CONTACT_EMAIL: 'data@site.example',
    WEFT_CATALOG_TITLE: 'Test site catalog',
  });
  const app = testApp.app;
  server = app.getHttpServer();

  const topics = Array.from({ length: 130 }, (_, index) =>
    topicDataset(`zigbee2mqtt/room_${String(index).padStart(3, '0')}`, `Room ${index}`, 'Hall', [
      TEMPERATURE,
    ]),
  );
  const broker = await harvestFixture(app, 'site-broker', [kitchenClimate(), ...topics], {
    startedAt: '2025-03-01T10:00:00.000Z',
    endedAt: '2025-03-01T10:00:05.000Z',
  });
  const lab = await harvestFixture(
    app,
    'lab-broker',
    [
      topicDataset('lab/freezer', 'Lab freezer', 'Lab', [TEMPERATURE]),
      topicDataset('lab/incubator', 'Incubator', 'Lab', [TEMPERATURE]),
      topicDataset('lab/never_public', 'Lab scale', 'Lab', []),
      topicDataset('lab/old', 'Old lab sensor', 'Lab', []),
      topicDataset('lab/gone', 'Removed lab sensor', 'Lab', []),
    ],
    { startedAt: '2025-03-02T10:00:00.000Z', endedAt: '2025-03-02T10:00:05.000Z' },
  );

  const licences = app.get(LicencesService);
  const publish = (pid: string): Promise<unknown> =>
    licences.setAccessLevel(pid, 'public', 'published for harvesters', STEWARD);
  const [kitchen, ...rooms] = broker.changes.created;
  const [freezer, incubator, neverPublic, old, gone] = lab.changes.created as [
    string,
    string,
    string,
    string,
    string,
  ];
  for (const pid of [kitchen, ...rooms, freezer, incubator, old, gone]) {
    await publish(pid);
  }
  await licences.assign(kitchen, { licenceId: 'CC-BY-4.0' }, 'Site operator', 'open', STEWARD);
  await licences.setAccessLevel(old, 'site', 'taken back for review', STEWARD);
  await app.get(CatalogWriterService).withdrawByPid(gone, 'sensor removed', STEWARD);

  pids.kitchen = kitchen;
  pids.published = [kitchen, ...rooms];
  pids.lab = [freezer, incubator];
  pids.neverPublic = neverPublic;
  pids.unpublished = old;
  pids.withdrawn = gone;
}, 120_000);

afterAll(async () => {
  await testApp?.close();
});

/** Send an OAI-PMH request, check it against the schema and return the parsed OAI-PMH element. */
async function oai(query: string): Promise<Parsed> {
  const response = await request(server).get(`/oai?${query}`);
  const validation = await validateAgainstSchema(response.text, schema);

  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(validation).toEqual({ valid: true, errors: [] });
  return parser.parse(response.text)['OAI-PMH'];
}

function errorOf(body: Parsed): { code: string; text: string } {
  return { code: body.error['@code'], text: body.error['#text'] };
}

describe('OAI-PMH Identify and lists of formats and sets', () => {
  it('identifies the repository', async () => {
    const body = await oai('verb=Identify');

    expect(body.request).toEqual({ '#text': BASE, '@verb': 'Identify' });
    expect(body.Identify).toEqual({
      repositoryName: 'Test site catalog',
      baseURL: BASE,
      protocolVersion: 2,
      adminEmail: 'data@site.example',
      earliestDatestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      deletedRecord: 'persistent',
      granularity: 'YYYY-MM-DDThh:mm:ssZ',
    });
  });

  it('lists oai_dc and dcat', async () => {
    const body = await oai('verb=ListMetadataFormats');

    expect(body.ListMetadataFormats.metadataFormat).toEqual([
      {
        metadataPrefix: 'oai_dc',
        schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
        metadataNamespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
      },
      {
        metadataPrefix: 'dcat',
        schema: 'https://www.w3.org/TR/rdf-syntax-grammar/',
        metadataNamespace: RDF,
      },
    ]);
  });

  it('lists the formats of one record', async () => {
    const body = await oai(
      `verb=ListMetadataFormats&identifier=${encodeURIComponent(pids.kitchen)}`,
    );

    expect(body.ListMetadataFormats.metadataFormat).toHaveLength(2);
  });

  it('lists one set per source', async () => {
    const body = await oai('verb=ListSets');

    expect(body.ListSets.set).toEqual([
      { setSpec: 'source:lab-broker', setName: 'Broker lab-broker' },
      { setSpec: 'source:site-broker', setName: 'Broker site-broker' },
    ]);
  });
});

describe('OAI-PMH records', () => {
  it('gets a record as Dublin Core', async () => {
    const body = await oai(
      `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(pids.kitchen)}`,
    );
    const record = body.GetRecord.record[0];

    expect(record.header[0].identifier).toBe(pids.kitchen);
    expect(record.header[0].setSpec).toBe('source:site-broker');
    expect(record.metadata['oai_dc:dc']).toMatchObject({
      'dc:title': 'Kitchen climate sensor',
      'dc:creator': 'Site operator',
      'dc:subject': ['climate', 'kitchen', 'Science and technology'],
      'dc:description': 'Temperature and relative humidity in the kitchen, from a Zigbee sensor.',
      'dc:publisher': 'Site operator',
      'dc:date': '2025-03-01',
      'dc:type': 'Dataset',
      'dc:format': ['application/json'],
      'dc:identifier': pids.kitchen,
      'dc:language': 'eng',
      'dc:coverage': ['Kitchen', '2025-03-01T08:00:00.000Z/2025-03-01T10:00:00.000Z'],
      'dc:rights': ['https://creativecommons.org/licenses/by/4.0/', 'Access: public'],
    });
  });

  it('gets a record as DCAT in RDF/XML', async () => {
    const body = await oai(
      `verb=GetRecord&metadataPrefix=dcat&identifier=${encodeURIComponent(pids.kitchen)}`,
    );
    const rdf = body.GetRecord.record[0].metadata['rdf:RDF'];
    const descriptions = rdf['rdf:Description'] as Array<Parsed>;
    const dataset = descriptions.find((description) => description['@rdf:about'] === pids.kitchen)!;

    expect(rdf['@xmlns:dcat']).toBe('http://www.w3.org/ns/dcat#');
    expect(dataset['dct:title']).toBe('Kitchen climate sensor');
    expect(dataset['rdf:type']).toEqual({ '@rdf:resource': 'http://www.w3.org/ns/dcat#Dataset' });
    expect(dataset['dcat:landingPage']).toEqual({ '@rdf:resource': `${pids.kitchen}?format=html` });
    expect(dataset['dct:license']).toEqual({
      '@rdf:resource': 'https://creativecommons.org/licenses/by/4.0/',
    });
  });

  it('marks a withdrawn dataset deleted', async () => {
    const body = await oai(
      `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(pids.withdrawn)}`,
    );
    const record = body.GetRecord.record[0];

    expect(record.header[0]['@status']).toBe('deleted');
    expect(record.metadata).toBeUndefined();
  });

  it('marks a dataset taken out of public view deleted', async () => {
    const body = await oai(
      `verb=GetRecord&metadataPrefix=dcat&identifier=${encodeURIComponent(pids.unpublished)}`,
    );

    expect(body.GetRecord.record[0].header[0]['@status']).toBe('deleted');
    expect(body.GetRecord.record[0].metadata).toBeUndefined();
  });

  it('does not know a dataset that was never public', async () => {
    const body = await oai(
      `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(pids.neverPublic)}`,
    );

    expect(errorOf(body).code).toBe('idDoesNotExist');
    expect(body.request['@verb']).toBe('GetRecord');
  });
});

describe('OAI-PMH lists and resumption', () => {
  it('pages ListIdentifiers with resumption tokens', async () => {
    const first = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
    const token = first.ListIdentifiers.resumptionToken;
    const second = await oai(
      `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token['#text'])}`,
    );
    const last = second.ListIdentifiers.resumptionToken;
    const identifiers = [...first.ListIdentifiers.header, ...second.ListIdentifiers.header].map(
      (header: Record<string, string>) => header.identifier,
    );

    expect(first.ListIdentifiers.header).toHaveLength(100);
    expect(token['@completeListSize']).toBe('135');
    expect(token['@cursor']).toBe('0');
    expect(second.ListIdentifiers.header).toHaveLength(35);
    expect(last).toEqual({ '@completeListSize': '135', '@cursor': '100' });
    expect(new Set(identifiers).size).toBe(135);
    expect(identifiers).toEqual(
      expect.arrayContaining([...pids.published, ...pids.lab, pids.unpublished, pids.withdrawn]),
    );
    expect(identifiers).not.toContain(pids.neverPublic);
  });

  it('lists the records of one set', async () => {
    const body = await oai('verb=ListRecords&metadataPrefix=oai_dc&set=source:lab-broker');
    const records = body.ListRecords.record as Array<Parsed>;
    const statuses = Object.fromEntries(
      records.map((record) => [record.header[0].identifier, record.header[0]['@status'] ?? 'live']),
    );

    // Datasets of one harvest enter the catalog in one transaction, so their order is their random ids'.
    expect(statuses).toEqual({
      [pids.lab[0]]: 'live',
      [pids.lab[1]]: 'live',
      [pids.unpublished]: 'deleted',
      [pids.withdrawn]: 'deleted',
    });
    expect(body.ListRecords.resumptionToken).toBeUndefined();
  });

  it('lists DCAT records with metadata', async () => {
    const body = await oai('verb=ListRecords&metadataPrefix=dcat&set=source:lab-broker');
    const records = body.ListRecords.record as Array<Parsed>;
    const live = records.filter((record) => record.header[0]['@status'] === undefined);
    const deleted = records.filter((record) => record.header[0]['@status'] === 'deleted');

    expect(live).toHaveLength(2);
    expect(deleted).toHaveLength(2);
    for (const record of live) {
      expect(record.metadata['rdf:RDF']['rdf:Description'].length).toBeGreaterThan(5);
    }
    for (const record of deleted) {
      expect(record.metadata).toBeUndefined();
    }
  });

  it('selects by datestamp', async () => {
    const future = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01');
    const past = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01T00:00:00Z');
    const today = new Date().toISOString().slice(0, 10);
    const current = await oai(
      `verb=ListIdentifiers&metadataPrefix=oai_dc&from=${today}&until=${today}&set=source:lab-broker`,
    );

    expect(errorOf(future).code).toBe('noRecordsMatch');
    expect(errorOf(past).code).toBe('noRecordsMatch');
    expect(current.ListIdentifiers.header).toHaveLength(4);
  });
});

describe('OAI-PMH errors', () => {
  it.each([
    ['', 'badVerb'],
    ['verb=Harvest', 'badVerb'],
    ['verb=Identify&verb=Identify', 'badVerb'],
    ['verb=Identify&metadataPrefix=oai_dc', 'badArgument'],
    ['verb=GetRecord&metadataPrefix=oai_dc', 'badArgument'],
    ['verb=ListRecords', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=dcat', 'badArgument'],
    [
      'verb=ListRecords&metadataPrefix=oai_dc&from=2025-03-01&until=2025-03-02T00:00:00Z',
      'badArgument',
    ],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2025-13-01', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2025-03-02&until=2025-03-01', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=marc21', 'cannotDisseminateFormat'],
    [
      'verb=GetRecord&metadataPrefix=oai_dc&identifier=http://weft.test/id/unknown',
      'idDoesNotExist',
    ],
    ['verb=ListMetadataFormats&identifier=urn:x', 'idDoesNotExist'],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=source:nowhere', 'noRecordsMatch'],
    ['verb=ListRecords&resumptionToken=not-a-token', 'badResumptionToken'],
    ['verb=ListSets&resumptionToken=abc', 'badResumptionToken'],
  ])('answers %s with %s', async (query, code) => {
    const body = await oai(query);

    expect(errorOf(body).code).toBe(code);
  });

  it('leaves the arguments out of the request after badArgument', async () => {
    const body = await oai('verb=ListRecords');

    expect(body.request).toBe(BASE);
    expect(errorOf(body)).toEqual({
      code: 'badArgument',
      text: 'ListRecords needs the metadataPrefix argument',
    });
  });

  it('answers POST requests as GET', async () => {
    const response = await request(server).post('/oai').type('form').send({ verb: 'ListSets' });
    const body = parser.parse(response.text)['OAI-PMH'];

    expect(response.status).toBe(200);
    expect(body.ListSets.set).toHaveLength(2);
  });
});
