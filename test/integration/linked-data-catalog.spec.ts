import { Parser } from 'n3';
import request from 'supertest';
import type { App } from 'supertest/types';

import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { LicencesService } from '../../src/licences/licences.service';
import { RdfSerializer } from '../../src/linked-data/json-ld/rdf-serializer.service';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import {
  harvestFixture,
  kitchenClimate,
  STEWARD,
  TEMPERATURE,
  topicDataset,
} from './linked-data.fixtures';
import { toNTriples, validateShacl, weftShapes } from './linked-data-shacl.fixtures';

function validate(nTriples: string): ReturnType<typeof validateShacl> {
  return validateShacl(nTriples, [weftShapes()]);
}

const DCT_TITLE = 'http://purl.org/dc/terms/title';

let testApp: TestApp;
let server: App;

beforeAll(async () => {
  testApp = await startTestApp({ WEFT_DEFAULT_ACCESS_LEVEL: 'public' });
  const app = testApp.app;
  server = app.getHttpServer();

  // Five public datasets, one site-level dataset and one withdrawn one: anonymous harvesters see the five.
  const seeded = await harvestFixture(
    app,
    'site-broker',
    [
      kitchenClimate(),
      topicDataset('zigbee2mqtt/hall', 'Hall climate', 'Hall', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/bath', 'Bathroom climate', 'Bathroom', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/attic', 'Attic climate', 'Attic', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/cellar', 'Cellar climate', 'Cellar', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/lab_freezer', 'Lab freezer', 'Lab', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/old_plug', 'Old smart plug', 'Workshop', []),
    ],
    { startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:05.000Z' },
  );
  const created = seeded.changes.created;
  await app
    .get(LicencesService)
    .setAccessLevel(created[5], 'site', 'lab data stays on site', STEWARD);
  await app.get(CatalogWriterService).withdrawByPid(created[6], 'plug removed', STEWARD);
});

afterAll(async () => {
  await testApp?.close();
});

describe('GET /catalog paging', () => {
  const page = (number: number): string => `http://weft.test/catalog?page=${number}&pageSize=2`;

  it.each([
    [1, [`<${page(1)}>; rel="first"`, `<${page(2)}>; rel="next"`, `<${page(3)}>; rel="last"`], 2],
    [
      2,
      [
        `<${page(1)}>; rel="first"`,
        `<${page(1)}>; rel="prev"`,
        `<${page(3)}>; rel="next"`,
        `<${page(3)}>; rel="last"`,
      ],
      2,
    ],
    [3, [`<${page(1)}>; rel="first"`, `<${page(2)}>; rel="prev"`, `<${page(3)}>; rel="last"`], 1],
  ])('page %i of 3 links its neighbours', async (number, links, datasets) => {
    const response = await request(server)
      .get(`/catalog?page=${number}&pageSize=2`)
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/ld+json');
    expect(response.headers.link).toBe(links.join(', '));
    expect(response.body['@type']).toEqual(['dcat:Catalog', 'hydra:Collection']);
    expect(response.body['hydra:totalItems']).toBe(5);
    expect(response.body['dcat:dataset']).toHaveLength(datasets);
  });

  it('describes the page with a Hydra partial collection view', async () => {
    const response = await request(server)
      .get('/catalog?page=2&pageSize=2')
      .set('Accept', 'application/ld+json');

    expect(response.body['hydra:view']).toEqual({
      '@id': page(2),
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': page(1),
      'hydra:previous': page(1),
      'hydra:next': page(3),
      'hydra:last': page(3),
    });
  });

  it('visits every public dataset once over the three pages', async () => {
    const titles: string[] = [];
    let next: string | undefined = '/catalog?page=1&pageSize=2';
    while (next !== undefined) {
      const response = await request(server).get(next).set('Accept', 'application/ld+json');
      titles.push(
        ...(response.body['dcat:dataset'] as Array<{ 'dct:title': string }>).map(
          (dataset) => dataset['dct:title'],
        ),
      );
      const view = response.body['hydra:view'] as { 'hydra:next'?: string };
      next = view['hydra:next']?.replace('http://weft.test', '');
    }

    expect(titles.sort()).toEqual([
      'Attic climate',
      'Bathroom climate',
      'Cellar climate',
      'Hall climate',
      'Kitchen climate sensor',
    ]);
  });

  it('lists the data services', async () => {
    const response = await request(server).get('/catalog').set('Accept', 'application/ld+json');

    expect(response.body['dcat:service']).toHaveLength(1);
    expect(response.body['dcat:service'][0]['dcat:endpointURL']).toEqual({
      '@id': 'mqtt://broker.site.example:1883',
      '@type': 'rdfs:Resource',
    });
  });

  it('defaults to JSON-LD for any client', async () => {
    const response = await request(server).get('/catalog').set('Accept', '*/*');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/ld+json');
    expect(response.headers.link).toBe(
      '<http://weft.test/catalog?page=1&pageSize=100>; rel="first", <http://weft.test/catalog?page=1&pageSize=100>; rel="last"',
    );
  });

  it('serves Turtle with the same triples', async () => {
    const jsonLd = await request(server)
      .get('/catalog?pageSize=1000')
      .set('Accept', 'application/ld+json');
    const turtle = await request(server).get('/catalog?pageSize=1000').set('Accept', 'text/turtle');

    const parsed = new Parser({ format: 'Turtle' }).parse(turtle.text);
    const expected = await testApp.app
      .get(RdfSerializer)
      .toQuads(jsonLd.body as object, { safe: true });

    expect(turtle.status).toBe(200);
    expect(turtle.headers['content-type']).toBe('text/turtle; charset=utf-8');
    expect(parsed).toHaveLength(expected.length);
  });

  it('answers 406 to a request for HTML only', async () => {
    const response = await request(server).get('/catalog').set('Accept', 'text/html');

    expect(response.status).toBe(406);
  });

  it.each([
    ['page=0', 'page=0 is invalid: expected an integer from 1 to 9007199254740991'],
    ['pageSize=1001', 'pageSize=1001 is invalid: expected an integer from 1 to 1000'],
    ['pageSize=ten', 'pageSize=ten is invalid: expected an integer from 1 to 1000'],
  ])('rejects %s', async (query, detail) => {
    const response = await request(server)
      .get(`/catalog?${query}`)
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).detail).toBe(detail);
  });

  it('answers 404 past the last page', async () => {
    const response = await request(server)
      .get('/catalog?page=4&pageSize=2')
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.text).detail).toBe(
      'page 4 is past the last page (3) of 5 datasets at pageSize=2: follow the hydra:next links from page 1',
    );
  });
});

describe('SHACL validation against ontologies/shapes', () => {
  it('finds the whole catalog conformant', async () => {
    const response = await request(server)
      .get('/catalog?pageSize=1000')
      .set('Accept', 'application/n-triples');

    const report = validate(response.text);

    expect(response.status).toBe(200);
    expect(report.results).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it('reports a dataset without a title', async () => {
    const response = await request(server)
      .get('/catalog?pageSize=1000')
      .set('Accept', 'application/n-triples');
    const quads = new Parser({ format: 'N-Triples' }).parse(response.text);
    const kitchen = quads.find(
      (quad) =>
        quad.predicate.value === DCT_TITLE && quad.object.value === 'Kitchen climate sensor',
    )!;

    const report = validate(toNTriples(quads.filter((quad) => quad !== kitchen)));

    expect(report.conforms).toBe(false);
    expect(report.results).toEqual([
      {
        focusNode: kitchen.subject.value,
        path: DCT_TITLE,
        constraint: 'http://www.w3.org/ns/shacl#MinCountConstraintComponent',
        severity: 'http://www.w3.org/ns/shacl#Violation',
        sourceShape: null,
        nodeShape: 'https://w3id.org/weft/shapes#DatasetShape',
        value: null,
        message: ['A dataset has a dct:title.'],
      },
    ]);
  });
});
