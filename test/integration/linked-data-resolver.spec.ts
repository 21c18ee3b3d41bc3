import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import * as jsonld from 'jsonld';
import { Parser, Writer } from 'n3';
import type { Quad } from 'n3';
import request from 'supertest';
import type { App } from 'supertest/types';

import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { ncdaCheckCharacter } from '../../src/identifiers/noid-check';
import { LicencesService } from '../../src/licences/licences.service';
import { BundledContexts } from '../../src/linked-data/json-ld/bundled-contexts.service';
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

// Regenerate with: WEFT_TEST_UPDATE_GOLDEN=1 npx jest test/integration/linked-data-resolver
const GOLDEN_DATASET = path.resolve(__dirname, '../golden/dataset.jsonld');
const WEFT_TTL = path.resolve(__dirname, '../../ontologies/weft.ttl');
const CONTEXT_FILE = path.resolve(__dirname, '../../ontologies/context/weft.jsonld');

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const WEFT = 'https://w3id.org/weft/ns#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const HARVEST = { startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:05.000Z' };
const SCRIPT_TITLE = '<script>alert("pwned")</script> Garage door';

let testApp: TestApp;
let server: App;
let ids: {
  dataset: string;
  distribution: string;
  source: string;
  service: string;
  run: string;
  garage: string;
  plug: string;
  freezer: string;
};
let documentLoader: BundledContexts['documentLoader'];

beforeAll(async () => {
  testApp = await startTestApp({ WEFT_DEFAULT_ACCESS_LEVEL: 'public' });
  const app = testApp.app;
  server = app.getHttpServer();
  documentLoader = app.get(BundledContexts).documentLoader;

  const seeded = await harvestFixture(
    app,
    'site-broker',
    [
      kitchenClimate(),
      topicDataset('zigbee2mqtt/garage_door', SCRIPT_TITLE, 'Garage', [
        { name: 'contact', datatypes: ['xsd:boolean'], observedCount: 4 },
      ]),
      topicDataset('zigbee2mqtt/old_plug', 'Old smart plug', 'Workshop', [
        {
          name: 'power',
          datatypes: ['xsd:double'],
          unit: 'W',
          quantityKind: 'Power',
          observedCount: 9,
        },
      ]),
      topicDataset('zigbee2mqtt/lab_freezer', 'Lab freezer', 'Lab', [TEMPERATURE]),
    ],
    HARVEST,
  );
  const [dataset, garage, plug, freezer] = seeded.changes.created as [
    string,
    string,
    string,
    string,
  ];
  const licences = app.get(LicencesService);
  await licences.assign(
    dataset,
    { licenceId: 'CC-BY-4.0' },
    'Site operator',
    'published for reuse',
    STEWARD,
  );
  await licences.setAccessLevel(freezer, 'site', 'lab data stays on site', STEWARD);

  const distribution = await firstDistribution(dataset);
  const service = await jsonLdOf(localIdOf(distribution));
  ids = {
    dataset: localIdOf(dataset),
    distribution: localIdOf(distribution),
    source: localIdOf(seeded.source.pid),
    service: localIdOf((service['dcat:accessService'] as { '@id': string })['@id']),
    run: localIdOf(seeded.runPid),
    garage: localIdOf(garage),
    plug: localIdOf(plug),
    freezer: localIdOf(freezer),
  };
});

afterAll(async () => {
  await testApp?.close();
});

async function jsonLdOf(localId: string): Promise<Record<string, unknown>> {
  const response = await request(server).get(`/id/${localId}`).set('Accept', 'application/ld+json');
  return response.body as Record<string, unknown>;
}

async function firstDistribution(datasetPid: string): Promise<string> {
  const document = await jsonLdOf(localIdOf(datasetPid));
  const distributions = document['dcat:distribution'] as Array<{ '@id': string }>;
  return distributions[0]['@id'];
}

async function toQuads(document: object): Promise<Quad[]> {
  const nquads = await jsonld.toRDF(document, {
    format: 'application/n-quads',
    documentLoader,
    safe: true,
  } as unknown as jsonld.Options.ToRdf);
  return new Parser({ format: 'N-Quads' }).parse(nquads as string);
}

async function canonical(nquads: string): Promise<string> {
  // @types/jsonld types canonize's input as a JSON-LD document and lacks RDFC-1.0.
  const canonize = jsonld.canonize.bind(jsonld) as unknown as (
    input: string,
    options: object,
  ) => Promise<string>;
  return canonize(nquads, {
    algorithm: 'RDFC-1.0',
    inputFormat: 'application/n-quads',
    format: 'application/n-quads',
  });
}

function toNQuads(quads: Quad[]): string {
  const writer = new Writer({ format: 'N-Quads' });
  writer.addQuads(quads);
  let output = '';
  writer.end((_error, result: string) => {
    output = result;
  });
  return output;
}

function hasTriple(
  quads: Quad[],
  subject: string,
  predicate: string,
  object: string,
  datatype?: string,
): boolean {
  return quads.some(
    (quad) =>
      quad.subject.value === subject &&
      quad.predicate.value === predicate &&
      quad.object.value === object &&
      (datatype === undefined ||
        (quad.object.termType === 'Literal' && quad.object.datatype.value === datatype)),
  );
}

/** Replace the random local ids (and the modification time a licence change sets) with placeholders. */
function withPlaceholders(text: string): string {
  let result = text;
  for (const [name, localId] of Object.entries({
    dataset: ids.dataset,
    distribution: ids.distribution,
    source: ids.source,
    'data-service': ids.service,
    'harvest-run': ids.run,
  })) {
    result = result.replaceAll(localId, `{${name}}`);
  }
  return result.replace(/("dct:modified": )"[^"]+"/, '$1"{modified}"');
}

/**
 * HTML with the whitespace between tags and before `>` removed and other
 * runs of whitespace collapsed, for comparisons that ignore how the
 * templates are laid out.
 */
function flat(html: string): string {
  return html.replace(/>\s+</g, '><').replace(/\s+>/g, '>').replace(/\s+/g, ' ');
}

describe('content negotiation on /id', () => {
  it.each([
    ['text/html', 'text/html; charset=utf-8'],
    ['application/ld+json', 'application/ld+json'],
    ['application/json', 'application/json'],
    ['text/turtle', 'text/turtle; charset=utf-8'],
    ['application/n-triples', 'application/n-triples'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html; charset=utf-8'],
    ['*/*', 'text/html; charset=utf-8'],
    ['application/ld+json;q=0.5, text/turtle;q=0.9', 'text/turtle; charset=utf-8'],
    ['text/*;q=0.2, text/turtle', 'text/turtle; charset=utf-8'],
    ['text/html;q=0, */*;q=0.1', 'application/ld+json'],
    [
      'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"',
      'application/ld+json',
    ],
  ])('Accept %s gives %s', async (accept, contentType) => {
    const response = await request(server).get(`/id/${ids.dataset}`).set('Accept', accept);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
    expect(response.headers.vary).toBe('Accept');
  });

  it('answers HEAD with the headers of GET', async () => {
    const response = await request(server).head(`/id/${ids.dataset}`).set('Accept', 'text/turtle');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/turtle; charset=utf-8');
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(response.text).toBeUndefined();
  });

  it('serves the landing page without an Accept header', async () => {
    const response = await request(server).get(`/id/${ids.dataset}`);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it.each([
    ['jsonld', 'application/ld+json'],
    ['ttl', 'text/turtle; charset=utf-8'],
    ['nt', 'application/n-triples'],
    ['html', 'text/html; charset=utf-8'],
  ])('?format=%s overrides Accept', async (format, contentType) => {
    const response = await request(server)
      .get(`/id/${ids.dataset}?format=${format}`)
      .set('Accept', 'application/xml');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
  });

  it('answers 406 with the offered media types', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}`)
      .set('Accept', 'application/xml, image/*');

    expect(response.status).toBe(406);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.text)).toEqual({
      type: 'about:blank',
      title: 'Not acceptable',
      status: 406,
      code: 'NOT_ACCEPTABLE',
      detail:
        'none of the media types in Accept "application/xml, image/*" is offered: this resource is available as text/html, application/ld+json, application/json, text/turtle, application/n-triples',
    });
  });

  it('rejects an unknown format with the accepted values', async () => {
    const response = await request(server).get(`/id/${ids.dataset}?format=rdfxml`);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).detail).toBe(
      'format=rdfxml is not offered here: use one of format=html, format=jsonld, format=ttl, format=nt, or leave it out and send an Accept header',
    );
  });
});

describe('dataset JSON-LD', () => {
  it('matches the golden file', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}`)
      .set('Accept', 'application/ld+json');
    const actual = withPlaceholders(response.text);

    if (process.env.WEFT_TEST_UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN_DATASET, actual);
    }
    expect(actual).toBe(readFileSync(GOLDEN_DATASET, 'utf8'));
  });

  it('sets dct:modified to the time the licence was assigned', async () => {
    const before = Date.now();
    const document = await jsonLdOf(ids.dataset);

    const modified = Date.parse(document['dct:modified'] as string);
    expect(modified).toBeLessThanOrEqual(before);
    expect(modified).toBeGreaterThan(Date.parse(HARVEST.endedAt));
  });

  it('expands to RDF through the bundled context alone', async () => {
    const document = await jsonLdOf(ids.dataset);
    const pid = `http://weft.test/id/${ids.dataset}`;

    const quads = await toQuads(document);

    expect(quads).toHaveLength(159);
    expect(hasTriple(quads, pid, RDF_TYPE, `${DCAT}Dataset`)).toBe(true);
    expect(hasTriple(quads, pid, `${DCT}identifier`, pid, `${XSD}string`)).toBe(true);
    expect(
      hasTriple(quads, pid, `${DCT}issued`, '2025-03-01T10:00:05.000Z', `${XSD}dateTime`),
    ).toBe(true);
    expect(
      hasTriple(quads, pid, `${DCT}license`, 'https://creativecommons.org/licenses/by/4.0/'),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        pid,
        'http://www.w3.org/ns/prov#wasGeneratedBy',
        `http://weft.test/id/${ids.run}`,
      ),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        pid,
        'http://www.w3.org/ns/prov#wasDerivedFrom',
        `http://weft.test/id/${ids.source}`,
      ),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        `${pid}#property-temperature`,
        'http://qudt.org/schema/qudt/ucumCode',
        'Cel',
        'http://qudt.org/schema/qudt/UCUMcs',
      ),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        `${pid}#property-temperature`,
        'http://qudt.org/schema/qudt/hasQuantityKind',
        'http://qudt.org/vocab/quantitykind/Temperature',
      ),
    ).toBe(true);
    expect(
      hasTriple(quads, `${pid}#property-temperature`, `${WEFT}maximum`, '2.325E1', `${XSD}double`),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        `http://weft.test/id/${ids.distribution}`,
        `${DCAT}accessURL`,
        'mqtt://broker.site.example:1883/zigbee2mqtt/kitchen_climate',
      ),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        `http://weft.test/id/${ids.distribution}`,
        `${DCAT}mediaType`,
        'https://www.iana.org/assignments/media-types/application/json',
      ),
    ).toBe(true);
  });

  it.each(['ttl', 'nt'])('has the same triples in format=%s', async (format) => {
    const document = await jsonLdOf(ids.dataset);
    const response = await request(server).get(`/id/${ids.dataset}?format=${format}`);

    const parsed = new Parser({ format: format === 'ttl' ? 'Turtle' : 'N-Triples' }).parse(
      response.text,
    );

    expect(parsed).toHaveLength(159);
    expect(await canonical(toNQuads(parsed))).toBe(
      await canonical(toNQuads(await toQuads(document))),
    );
  });

  it('defines every weft: term it uses in ontologies/weft.ttl', async () => {
    const defined = new Set(
      new Parser()
        .parse(readFileSync(WEFT_TTL, 'utf8'))
        .filter((quad) => quad.predicate.value === 'http://www.w3.org/2000/01/rdf-schema#comment')
        .map((quad) => quad.subject.value),
    );
    const documents = await Promise.all(
      [ids.dataset, ids.distribution, ids.source, ids.service, ids.run, ids.plug].map((localId) =>
        jsonLdOf(localId),
      ),
    );
    const catalog = (await request(server).get('/catalog').set('Accept', 'application/ld+json'))
      .body as object;

    const used = new Set<string>();
    for (const document of [...documents, catalog]) {
      for (const quad of await toQuads(document)) {
        for (const term of [quad.predicate, quad.object]) {
          if (term.termType === 'NamedNode' && term.value.startsWith(WEFT)) {
            used.add(term.value);
          }
        }
      }
    }

    expect([...used].filter((term) => !defined.has(term))).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });
});

describe('bundled JSON-LD contexts', () => {
  it('serves the Weft context at its URL', async () => {
    const response = await request(server).get('/contexts/weft.jsonld');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/ld+json');
    expect(response.text).toBe(readFileSync(CONTEXT_FILE, 'utf8'));
  });

  it('answers 404 for a context it does not bundle', async () => {
    const response = await request(server).get('/contexts/schema.jsonld');

    expect(response.status).toBe(404);
  });

  it('rejects a remote context instead of fetching it', async () => {
    const remote = { '@context': 'https://schema.org/', '@id': 'urn:example:x', name: 'x' };

    const error = await toQuads(remote).then(
      () => undefined,
      (caught: unknown) =>
        caught as { name: string; details: { code: string; url: string; cause: Error } },
    );

    expect(error?.name).toBe('jsonld.InvalidUrl');
    expect(error?.details.code).toBe('loading remote context failed');
    expect(error?.details.cause.message).toBe(
      'JSON-LD context https://schema.org/ is not bundled with Weft, and Weft never fetches contexts over the network: use one of http://weft.test/contexts/weft.jsonld, or add the context file to ontologies/context/',
    );
  });
});

describe('conditional requests', () => {
  it('answers 304 to a matching If-None-Match', async () => {
    const first = await request(server).get(`/id/${ids.dataset}`).set('Accept', 'text/turtle');

    const second = await request(server)
      .get(`/id/${ids.dataset}`)
      .set('Accept', 'text/turtle')
      .set('If-None-Match', first.headers.etag);

    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(second.status).toBe(304);
    expect(second.text).toBe('');
    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it('gives each format its own entity tag', async () => {
    const turtle = await request(server).get(`/id/${ids.dataset}?format=ttl`);
    const jsonLd = await request(server).get(`/id/${ids.dataset}?format=jsonld`);

    expect(turtle.headers.etag).not.toBe(jsonLd.headers.etag);
  });

  it('answers 200 when If-None-Match names another version', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}?format=jsonld`)
      .set('If-None-Match', '"some-older-version"');

    expect(response.status).toBe(200);
  });

  it('honours If-Modified-Since against Last-Modified', async () => {
    const first = await request(server).get(`/id/${ids.dataset}?format=jsonld`);
    const lastModified = first.headers['last-modified'];
    const hourEarlier = new Date(Date.parse(lastModified) - 3_600_000).toUTCString();

    const unchanged = await request(server)
      .get(`/id/${ids.dataset}?format=jsonld`)
      .set('If-Modified-Since', lastModified);
    const changed = await request(server)
      .get(`/id/${ids.dataset}?format=jsonld`)
      .set('If-Modified-Since', hourEarlier);

    expect(new Date(lastModified).toISOString().slice(0, 19)).toBe(
      (first.body['dct:modified'] as string).slice(0, 19),
    );
    expect(unchanged.status).toBe(304);
    expect(changed.status).toBe(200);
  });
});

describe('identifier errors', () => {
  it('answers 400 for a wrong check character', async () => {
    const body = ids.dataset.slice(0, -1);
    const wrong = ids.dataset.slice(-1) === '0' ? '1' : '0';
    expect(ncdaCheckCharacter(body)).not.toBe(wrong);

    const response = await request(server)
      .get(`/id/${body}${wrong}`)
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).detail).toBe(
      `identifier ${body}${wrong} has a wrong check character (its last character): a character was probably mistyped or two were swapped; copy the identifier again from its citation`,
    );
  });

  it('answers 400 for two swapped characters', async () => {
    const swapped = `${ids.dataset[1]}${ids.dataset[0]}${ids.dataset.slice(2)}`;
    if (swapped === ids.dataset) {
      return;
    }

    const response = await request(server)
      .get(`/id/${swapped}`)
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(400);
  });

  it('answers 400 with HTML for non-identifiers', async () => {
    const response = await request(server).get('/id/not-an-id').set('Accept', 'text/html');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('&quot;not-an-id&quot; is not a Weft identifier');
  });

  it('answers 404 for a well-formed identifier that was never minted', async () => {
    const body = 'bcdfghjkm';
    const response = await request(server)
      .get(`/id/${body}${ncdaCheckCharacter(body)}`)
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});

describe('access without sign-in', () => {
  it('answers 401 with a Bearer challenge for a site dataset', async () => {
    const response = await request(server)
      .get(`/id/${ids.freezer}`)
      .set('Accept', 'application/ld+json');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="weft"');
    expect(JSON.parse(response.text).code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 to tokens without sign-in configured', async () => {
    const response = await request(server)
      .get(`/id/${ids.dataset}`)
      .set('Accept', 'application/ld+json')
      .set('Authorization', 'Bearer abc.def.ghi');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="weft", error="invalid_token", error_description="sign-in is not configured/,
    );
  });
});

describe('other identified entities', () => {
  it('resolves a distribution and names its dataset', async () => {
    const document = await jsonLdOf(ids.distribution);

    expect(document['@type']).toBe('dcat:Distribution');
    expect(document['@reverse']).toEqual({
      'dcat:distribution': { '@id': `http://weft.test/id/${ids.dataset}` },
    });
    expect((document['dcat:accessService'] as Record<string, unknown>)['@id']).toBe(
      `http://weft.test/id/${ids.service}`,
    );
    expect((document['dcat:accessService'] as Record<string, unknown>)['@type']).toBe(
      'dcat:DataService',
    );
  });

  it('resolves a source system with its data service', async () => {
    const document = await jsonLdOf(ids.source);

    expect(document).toEqual({
      '@context': 'http://weft.test/contexts/weft.jsonld',
      '@id': `http://weft.test/id/${ids.source}`,
      '@type': ['weft:SourceSystem', 'prov:Entity'],
      'dct:identifier': `http://weft.test/id/${ids.source}`,
      'dct:title': 'Broker site-broker',
      'dct:description': 'The site MQTT broker.',
      'dct:spatial': { '@type': 'dct:Location', 'rdfs:label': 'Building A' },
      'weft:sourceKey': 'site-broker',
      'weft:sourceKind': 'mqtt',
      'weft:status': 'active',
      'weft:dataService': `http://weft.test/id/${ids.service}`,
    });
  });

  it('resolves a data service', async () => {
    const document = await jsonLdOf(ids.service);

    expect(document).toEqual({
      '@context': 'http://weft.test/contexts/weft.jsonld',
      '@id': `http://weft.test/id/${ids.service}`,
      '@type': 'dcat:DataService',
      'dct:identifier': `http://weft.test/id/${ids.service}`,
      'dct:title': 'Broker site-broker endpoint',
      'dcat:endpointURL': { '@id': 'mqtt://broker.site.example:1883', '@type': 'rdfs:Resource' },
      'dct:conformsTo': {
        '@id': 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html',
        '@type': 'dct:Standard',
      },
      'dct:publisher': {
        '@id': 'http://weft.test/catalog#publisher',
        '@type': 'foaf:Agent',
        'foaf:name': 'Site operator',
      },
      'dcat:contactPoint': {
        '@id': 'http://weft.test/catalog#contact-point',
        '@type': ['vcard:Kind', 'vcard:Organization'],
        'vcard:fn': 'Site operator',
        'vcard:hasURL': { '@id': 'http://weft.test/' },
      },
      'weft:sourceSystem': `http://weft.test/id/${ids.source}`,
    });
  });

  it('resolves a harvest run to its PROV-O document', async () => {
    const document = await jsonLdOf(ids.run);
    const quads = await toQuads(document);
    const run = `http://weft.test/id/${ids.run}`;

    expect(document['@type']).toEqual(['prov:Activity', 'weft:HarvestRun']);
    expect(
      hasTriple(quads, run, 'http://www.w3.org/ns/prov#used', `http://weft.test/id/${ids.source}`),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        run,
        'http://www.w3.org/ns/prov#generated',
        `http://weft.test/id/${ids.dataset}`,
      ),
    ).toBe(true);
    expect(
      hasTriple(
        quads,
        run,
        'http://www.w3.org/ns/prov#startedAtTime',
        HARVEST.startedAt,
        `${XSD}dateTime`,
      ),
    ).toBe(true);
  });

  it.each([
    ['distribution', 'Live MQTT messages'],
    ['source', 'Broker site-broker'],
    ['service', 'Broker site-broker endpoint'],
    ['run', 'Harvest run of 2025-03-01 10:00:00 UTC'],
  ] as const)('serves an HTML page for the %s', async (entity, heading) => {
    const response = await request(server).get(`/id/${ids[entity]}`).set('Accept', 'text/html');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(flat(response.text)).toContain(`<h1>${heading}</h1>`);
  });
});

describe('landing page', () => {
  it('shows the dataset for people', async () => {
    const response = await request(server).get(`/id/${ids.dataset}`).set('Accept', 'text/html');
    const page = flat(response.text);
    const pid = `http://weft.test/id/${ids.dataset}`;

    expect(page).toContain('<h1>Kitchen climate sensor</h1>');
    expect(page).toContain(
      `<p class="citation">Site operator (2025). Kitchen climate sensor [Data set]. Weft site catalog. ${pid}</p>`,
    );
    expect(page).toContain(
      '<a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>',
    );
    expect(page).toContain(
      '<td><code>temperature</code></td><td></td><td><code>Cel</code> (°C)</td>',
    );
    expect(page).toContain(
      '<code>mqtt://broker.site.example:1883/zigbee2mqtt/kitchen_climate</code>',
    );
    expect(page).toContain(
      `<a href="http://weft.test/id/${ids.run}">http://weft.test/id/${ids.run}</a>`,
    );
    expect(page).toContain('<td>licence</td><td>fixture-steward</td><td>published for reuse</td>');
    expect(page).toContain(
      `<link rel="alternate" type="application/ld+json" href="${pid}?format=jsonld" />`,
    );
    expect(page).toContain(`<link rel="alternate" type="text/turtle" href="${pid}?format=ttl" />`);
    expect(page).not.toMatch(/<(script|link)[^>]+src=|<link[^>]+rel="stylesheet"/);
  });

  it('says when no licence is assigned yet', async () => {
    const response = await request(server).get(`/id/${ids.plug}`).set('Accept', 'text/html');

    expect(flat(response.text)).toContain('No licence assigned yet.');
  });

  it('embeds a schema.org Dataset', async () => {
    const response = await request(server).get(`/id/${ids.dataset}`).set('Accept', 'text/html');
    const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(response.text);
    const schemaOrg = JSON.parse(match![1]);

    expect(schemaOrg).toEqual({
      '@context': 'https://schema.org/',
      '@type': 'Dataset',
      '@id': `http://weft.test/id/${ids.dataset}`,
      name: 'Kitchen climate sensor',
      description: 'Temperature and relative humidity in the kitchen, from a Zigbee sensor.',
      identifier: `http://weft.test/id/${ids.dataset}`,
      url: `http://weft.test/id/${ids.dataset}`,
      keywords: ['climate', 'kitchen'],
      license: 'https://creativecommons.org/licenses/by/4.0/',
      creator: {
        '@type': 'Organization',
        '@id': 'http://weft.test/catalog#publisher',
        name: 'Site operator',
      },
      publisher: {
        '@type': 'Organization',
        '@id': 'http://weft.test/catalog#publisher',
        name: 'Site operator',
      },
      isAccessibleForFree: true,
      conditionsOfAccess: 'Open to everyone.',
      datePublished: '2025-03-01T10:00:05.000Z',
      dateModified: schemaOrg.dateModified,
      temporalCoverage: '2025-03-01T08:00:00.000Z/2025-03-01T10:00:00.000Z',
      spatialCoverage: { '@type': 'Place', name: 'Kitchen' },
      variableMeasured: [
        {
          '@type': 'PropertyValue',
          name: 'humidity',
          unitCode: 'http://qudt.org/vocab/unit/PERCENT',
          unitText: '%',
          propertyID: 'http://qudt.org/vocab/quantitykind/RelativeHumidity',
          minValue: 41,
          maxValue: 58.5,
        },
        { '@type': 'PropertyValue', name: 'Link quality', minValue: 87, maxValue: 255 },
        {
          '@type': 'PropertyValue',
          name: 'temperature',
          unitCode: 'http://qudt.org/vocab/unit/DEG_C',
          unitText: '°C',
          propertyID: 'http://qudt.org/vocab/quantitykind/Temperature',
          minValue: 19.5,
          maxValue: 23.25,
        },
      ],
      distribution: [
        {
          '@type': 'DataDownload',
          name: 'Live MQTT messages',
          contentUrl: 'mqtt://broker.site.example:1883/zigbee2mqtt/kitchen_climate',
          encodingFormat: 'application/json',
        },
      ],
      includedInDataCatalog: {
        '@type': 'DataCatalog',
        name: 'Weft site catalog',
        url: 'http://weft.test/catalog',
      },
    });
    expect(Date.parse(schemaOrg.dateModified)).toBeGreaterThan(Date.parse('2025-03-01T10:00:05Z'));
  });

  it('escapes a title that contains markup', async () => {
    const response = await request(server).get(`/id/${ids.garage}`).set('Accept', 'text/html');
    const page = flat(response.text);

    expect(page).toContain(
      '<h1>&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Garage door</h1>',
    );
    expect(page).toContain(
      '"name": "\\u003cscript\\u003ealert(\\"pwned\\")\\u003c/script\\u003e Garage door"',
    );
    expect(page).not.toContain('<script>alert');
    expect(page.match(/<\/script>/g)).toHaveLength(1);
  });
});

describe('withdrawn datasets', () => {
  it('answers 410 with a tombstone after withdrawal', async () => {
    const before = await request(server)
      .get(`/id/${ids.plug}`)
      .set('Accept', 'application/ld+json');
    await testApp.app
      .get(CatalogWriterService)
      .withdrawByPid(
        `http://weft.test/id/${ids.plug}`,
        'plug replaced by a metering socket',
        STEWARD,
      );

    const after = await request(server).get(`/id/${ids.plug}`).set('Accept', 'application/ld+json');

    expect(before.status).toBe(200);
    expect(after.status).toBe(410);
    expect(after.headers['content-type']).toBe('application/ld+json');
    const tombstone = JSON.parse(after.text);
    expect(Date.parse(tombstone['prov:invalidatedAtTime'])).toBeGreaterThan(
      Date.parse(HARVEST.endedAt),
    );
    expect({ ...tombstone, 'prov:invalidatedAtTime': 'checked above' }).toEqual({
      '@context': 'http://weft.test/contexts/weft.jsonld',
      '@id': `http://weft.test/id/${ids.plug}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': `http://weft.test/id/${ids.plug}`,
      'dct:title': 'Old smart plug',
      'dct:issued': HARVEST.endedAt,
      'prov:wasDerivedFrom': `http://weft.test/id/${ids.source}`,
      'weft:naturalKey': 'zigbee2mqtt/old_plug',
      'adms:status': 'http://purl.org/adms/status/Withdrawn',
      'prov:invalidatedAtTime': 'checked above',
      'weft:withdrawalReason': 'plug replaced by a metering socket',
    });
  });

  it('shows the tombstone page to people with 410', async () => {
    const response = await request(server).get(`/id/${ids.plug}`).set('Accept', 'text/html');

    expect(response.status).toBe(410);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(flat(response.text)).toContain('<h1>Old smart plug</h1>');
    expect(flat(response.text)).toMatch(
      /This dataset was withdrawn on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: plug replaced by a metering socket\./,
    );
  });

  it('answers 410 in Turtle too', async () => {
    const response = await request(server).get(`/id/${ids.plug}?format=ttl`);

    expect(response.status).toBe(410);
    expect(response.text).toContain('adms:status <http://purl.org/adms/status/Withdrawn>');
  });
});

describe('home page', () => {
  it('finds datasets with a server-side search', async () => {
    const response = await request(server).get('/?q=kitchen');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(flat(response.text)).toContain('<p>1 dataset found.</p>');
    expect(flat(response.text)).toContain(
      `<a href="http://weft.test/id/${ids.dataset}">Kitchen climate sensor</a>`,
    );
    expect(flat(response.text)).toContain('<a href="http://weft.test/graphql">GraphQL API</a>');
    expect(flat(response.text)).toContain('<a href="http://weft.test/catalog">DCAT catalog</a>');
  });

  it('lists only public datasets to anonymous visitors', async () => {
    const response = await request(server).get('/');

    expect(flat(response.text)).toContain('<p>2 datasets found.</p>');
    expect(response.text).not.toContain('Lab freezer');
  });

  it('escapes the search text', async () => {
    const response = await request(server).get('/').query({ q: '"><script>alert(1)</script>' });

    expect(flat(response.text)).toContain(
      'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"',
    );
    expect(response.text).not.toContain('<script>alert(1)');
  });

  it('rejects a malformed cursor', async () => {
    const response = await request(server)
      .get('/?q=kitchen&after=garbage')
      .set('Accept', 'text/html');

    expect(response.status).toBe(400);
  });
});
