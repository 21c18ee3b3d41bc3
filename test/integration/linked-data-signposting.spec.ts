import request from 'supertest';
import type { App } from 'supertest/types';

import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { ncdaCheckCharacter } from '../../src/identifiers/noid-check';
import { LicencesService } from '../../src/licences/licences.service';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import {
  harvestFixture,
  kitchenClimate,
  localIdOf,
  STEWARD,
  TEMPERATURE,
  topicDataset,
} from './linked-data.fixtures';

// FAIR Signposting (https://signposting.org/FAIR/) on the identifier
// resolver: Level 1 typed links in the Link header of every landing page,
// Level 2 link sets at /id/{id}/linkset in both RFC 9264 formats.

let testApp: TestApp;
let server: App;
const ids = { dataset: '', distribution: '', unlicensed: '', siteOnly: '', withdrawn: '' };

beforeAll(async () => {
  testApp = await startTestApp({
    WEFT_DEFAULT_ACCESS_LEVEL: 'public',
    WEFT_PUBLISHER_URI: 'https://ror.org/000000000',
  });
  const app = testApp.app;
  server = app.getHttpServer();

  const seeded = await harvestFixture(
    app,
    'site-broker',
    [
      kitchenClimate(),
      topicDataset('zigbee2mqtt/hall', 'Hall climate', 'Hall', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/lab_freezer', 'Lab freezer', 'Lab', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/old_plug', 'Old smart plug', 'Workshop', []),
    ],
    { startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:05.000Z' },
  );
  const [kitchen, hall, freezer, plug] = seeded.changes.created as [string, string, string, string];
  await app
    .get(LicencesService)
    .assign(kitchen, { licenceId: 'CC-BY-4.0' }, 'Site operator', 'published for reuse', STEWARD);
  await app.get(LicencesService).setAccessLevel(freezer, 'site', 'lab data stays on site', STEWARD);
  await app.get(CatalogWriterService).withdrawByPid(plug, 'plug removed', STEWARD);

  const document = await request(server)
    .get(`/id/${localIdOf(kitchen)}`)
    .set('Accept', 'application/ld+json');
  ids.dataset = localIdOf(kitchen);
  ids.distribution = localIdOf(document.body['dcat:distribution'][0]['@id'] as string);
  ids.unlicensed = localIdOf(hall);
  ids.siteOnly = localIdOf(freezer);
  ids.withdrawn = localIdOf(plug);
});

afterAll(async () => {
  await testApp?.close();
});

/** Split a Link header into its links (RFC 8288), enough for the values Weft writes. */
function parseLinks(header: string): Array<Record<string, string>> {
  return header.split(/,\s*(?=<)/).map((text) => {
    const [target, ...parameters] = text.split(/;\s*/);
    const link: Record<string, string> = { href: target.replace(/^<|>$/g, '') };
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=');
      link[name] = value.replace(/^"|"$/g, '');
    }
    return link;
  });
}

describe('Signposting on a dataset landing page', () => {
  const url = (): string => `http://weft.test/id/${ids.dataset}`;

  it('sends every Level 1 link', async () => {
    const response = await request(server).get(`/id/${ids.dataset}`).set('Accept', 'text/html');

    expect(response.status).toBe(200);
    expect(parseLinks(response.headers.link)).toEqual([
      { href: url(), rel: 'cite-as' },
      { href: `${url()}?format=jsonld`, rel: 'describedby', type: 'application/ld+json' },
      { href: `${url()}?format=ttl`, rel: 'describedby', type: 'text/turtle' },
      { href: 'https://schema.org/Dataset', rel: 'type' },
      { href: 'https://schema.org/AboutPage', rel: 'type' },
      { href: 'https://creativecommons.org/licenses/by/4.0/', rel: 'license' },
      { href: 'https://ror.org/000000000', rel: 'author' },
      {
        href: 'mqtt://broker.site.example:1883/zigbee2mqtt/kitchen_climate',
        rel: 'item',
        type: 'application/json',
      },
      { href: `${url()}/linkset`, rel: 'linkset', type: 'application/linkset' },
      { href: `${url()}/linkset`, rel: 'linkset', type: 'application/linkset+json' },
    ]);
  });

  it('sends the same links with the metadata', async () => {
    const html = await request(server).get(`/id/${ids.dataset}`).set('Accept', 'text/html');
    const turtle = await request(server).get(`/id/${ids.dataset}`).set('Accept', 'text/turtle');
    const jsonLd = await request(server).get(`/id/${ids.dataset}?format=jsonld`);

    expect(turtle.headers.link).toBe(html.headers.link);
    expect(jsonLd.headers.link).toBe(html.headers.link);
  });

  it('lets browser tools read the links', async () => {
    const response = await request(server).get(`/id/${ids.dataset}`);

    expect(response.headers['access-control-expose-headers']).toBe('Link');
  });

  it('leaves out the licence until one is assigned', async () => {
    const response = await request(server).get(`/id/${ids.unlicensed}`);
    const rels = parseLinks(response.headers.link).map((link) => link.rel);

    expect(rels).toEqual([
      'cite-as',
      'describedby',
      'describedby',
      'type',
      'type',
      'author',
      'item',
      'linkset',
      'linkset',
    ]);
  });

  it('names the publisher IRI in the metadata too', async () => {
    const response = await request(server).get(`/id/${ids.dataset}?format=jsonld`);

    expect(response.body['dct:publisher']['@id']).toBe('https://ror.org/000000000');
  });
});

describe('link sets', () => {
  const url = (): string => `http://weft.test/id/${ids.dataset}`;
  const item = 'mqtt://broker.site.example:1883/zigbee2mqtt/kitchen_climate';

  it('serves application/linkset+json', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}/linkset`)
      .set('Accept', 'application/linkset+json');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/linkset+json');
    expect(JSON.parse(response.text)).toEqual({
      linkset: [
        {
          anchor: url(),
          'cite-as': [{ href: url() }],
          describedby: [
            { href: `${url()}?format=jsonld`, type: 'application/ld+json' },
            { href: `${url()}?format=ttl`, type: 'text/turtle' },
          ],
          type: [{ href: 'https://schema.org/Dataset' }, { href: 'https://schema.org/AboutPage' }],
          license: [{ href: 'https://creativecommons.org/licenses/by/4.0/' }],
          item: [{ href: item, type: 'application/json' }],
          author: [{ href: 'https://ror.org/000000000' }],
        },
        { anchor: `${url()}?format=jsonld`, describes: [{ href: url() }] },
        { anchor: `${url()}?format=ttl`, describes: [{ href: url() }] },
        { anchor: item, collection: [{ href: url() }] },
      ],
    });
  });

  it('serves application/linkset', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}/linkset`)
      .set('Accept', 'application/linkset');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/linkset');
    expect(response.text).toBe(
      [
        `<${url()}>; anchor="${url()}"; rel="cite-as"`,
        `<${url()}?format=jsonld>; anchor="${url()}"; rel="describedby"; type="application/ld+json"`,
        `<${url()}?format=ttl>; anchor="${url()}"; rel="describedby"; type="text/turtle"`,
        `<https://schema.org/Dataset>; anchor="${url()}"; rel="type"`,
        `<https://schema.org/AboutPage>; anchor="${url()}"; rel="type"`,
        `<https://creativecommons.org/licenses/by/4.0/>; anchor="${url()}"; rel="license"`,
        `<${item}>; anchor="${url()}"; rel="item"; type="application/json"`,
        `<https://ror.org/000000000>; anchor="${url()}"; rel="author"`,
        `<${url()}>; anchor="${url()}?format=jsonld"; rel="describes"`,
        `<${url()}>; anchor="${url()}?format=ttl"; rel="describes"`,
        `<${url()}>; anchor="${item}"; rel="collection"`,
      ].join(',\n') + '\n',
    );
  });

  it('defaults to JSON', async () => {
    const response = await request(server).get(`/id/${ids.dataset}/linkset`);

    expect(response.headers['content-type']).toBe('application/linkset+json');
  });

  it('answers 406 to a request for HTML', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}/linkset`)
      .set('Accept', 'text/html');

    expect(response.status).toBe(406);
  });

  it('keeps a site dataset from anonymous callers', async () => {
    const response = await request(server)
      .get(`/id/${ids.siteOnly}/linkset`)
      .set('Accept', 'application/linkset+json');

    expect(response.status).toBe(401);
  });

  it('answers 404 for an identifier never minted', async () => {
    const body = 'bcdfghjkm';
    const response = await request(server).get(`/id/${body}${ncdaCheckCharacter(body)}/linkset`);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});

describe('Signposting on other identifiers', () => {
  it('links a distribution to its dataset', async () => {
    const response = await request(server).get(`/id/${ids.distribution}`);
    const links = parseLinks(response.headers.link);

    expect(links.filter((link) => ['cite-as', 'collection', 'license'].includes(link.rel))).toEqual(
      [
        { href: `http://weft.test/id/${ids.distribution}`, rel: 'cite-as' },
        { href: 'https://creativecommons.org/licenses/by/4.0/', rel: 'license' },
        { href: `http://weft.test/id/${ids.dataset}`, rel: 'collection' },
      ],
    );
  });

  it('keeps the citation of a withdrawn dataset', async () => {
    const response = await request(server).get(`/id/${ids.withdrawn}`);
    const links = parseLinks(response.headers.link);

    expect(response.status).toBe(410);
    expect(links[0]).toEqual({ href: `http://weft.test/id/${ids.withdrawn}`, rel: 'cite-as' });
    expect(links.some((link) => link.rel === 'item')).toBe(false);
  });
});
