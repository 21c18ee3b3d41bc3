import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Parser } from 'n3';
import type { Quad } from 'n3';
import request from 'supertest';
import type { App } from 'supertest/types';

import { RdfSerializer } from '../../src/linked-data/json-ld/rdf-serializer.service';
import { corpusDir } from '../support/corpus';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import { seedDemoCatalog } from './linked-data-demo.fixtures';
import type { DemoCatalog } from './linked-data-demo.fixtures';
import { localIdOf } from './linked-data.fixtures';
import {
  dcatApShapes,
  SH,
  toNTriples,
  validateShacl,
  weftShapes,
  withSeverity,
} from './linked-data-shacl.fixtures';

// The catalog of a demo-like site, harvested from the real MQTT captures,
// the Machinery NodeSet and the demo's InfluxDB measurements. It is checked
// against the official DCAT-AP 3.0.0 SHACL files read from the corpus:
// shapes.ttl (cardinalities, node kinds), range.ttl (the class of every
// object), deprecateduris.ttl and the single-file dcat-ap-SHACL.ttl, with
// shapes_recommended.ttl giving warnings only.

const SHAPES = 'https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/shacl/shapes.ttl#';
const RANGE = 'https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/shacl/range.ttl#';
const RECOMMENDED = 'http://data.europa.eu/r5r#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCT = 'http://purl.org/dc/terms/';
const DCAT = 'http://www.w3.org/ns/dcat#';

let testApp: TestApp;
let server: App;
let demo: DemoCatalog;
let catalogQuads: Quad[];

beforeAll(async () => {
  testApp = await startTestApp({
    WEFT_DEFAULT_ACCESS_LEVEL: 'public',
    WEFT_PUBLISHER_NAME: 'Demo site operator',
    WEFT_PUBLISHER_TYPE: 'Company',
    WEFT_CONTACT_EMAIL: 'data@site.example',
    WEFT_DATA_THEMES: 'TECH,ENER',
  });
  server = testApp.app.getHttpServer();
  demo = await seedDemoCatalog(testApp.app);

  const turtle = await request(server).get('/catalog?pageSize=1000').set('Accept', 'text/turtle');
  expect(turtle.status).toBe(200);
  catalogQuads = new Parser({ format: 'Turtle' }).parse(turtle.text);
}, 120_000);

afterAll(async () => {
  await demo?.cleanUp();
  await testApp?.close();
});

function singleFileShapes(): string {
  return readFileSync(path.join(corpusDir(), 'fair/dcat-ap-3/dcat-ap-SHACL.ttl'), 'utf8');
}

function localName(iri: string | null): string {
  return (iri ?? '').replace(/^.*[#/]/, '');
}

describe('demo catalog against DCAT-AP 3', () => {
  it('holds every public dataset of the demo harvest', () => {
    const datasets = catalogQuads
      .filter((quad) => quad.predicate.value === `${DCAT}dataset`)
      .map((quad) => quad.object.value)
      .sort();

    expect(demo.publicDatasets.length).toBeGreaterThanOrEqual(10);
    expect(datasets).toEqual(demo.publicDatasets.map((dataset) => dataset.pid).sort());
  });

  it('has no violations of shapes.ttl', () => {
    const report = validateShacl(toNTriples(catalogQuads), [dcatApShapes('shapes')]);

    expect(report.results).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it('has no violations of range.ttl', () => {
    const report = validateShacl(toNTriples(catalogQuads), [dcatApShapes('range')]);

    expect(report.results).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it('uses no deprecated terms', () => {
    const report = validateShacl(toNTriples(catalogQuads), [dcatApShapes('deprecated')]);

    expect(report.results).toEqual([]);
  });

  it('has no violations of the single-file shapes', () => {
    const report = validateShacl(toNTriples(catalogQuads), [singleFileShapes()]);

    expect(report.results).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it("conforms to Weft's own shapes", () => {
    const report = validateShacl(toNTriples(catalogQuads), [weftShapes()]);

    expect(report.results).toEqual([]);
  });

  it('gives the same conformant graph as JSON-LD', async () => {
    const jsonLd = await request(server)
      .get('/catalog?pageSize=1000')
      .set('Accept', 'application/ld+json');
    const quads = await testApp.app
      .get(RdfSerializer)
      .toQuads(jsonLd.body as object, { safe: true });

    const report = validateShacl(toNTriples(quads), [
      dcatApShapes('shapes'),
      dcatApShapes('range'),
    ]);

    expect(quads).toHaveLength(catalogQuads.length);
    expect(report.results).toEqual([]);
  });

  it('lacks only recommended properties Weft cannot know', () => {
    const report = validateShacl(toNTriples(catalogQuads), [dcatApShapes('recommended')]);
    const missing = [
      ...new Set(
        report.results.map(
          (result) =>
            `${localName(result.nodeShape ?? result.sourceShape)} ${localName(result.path)}`,
        ),
      ),
    ].sort();

    expect(withSeverity(report, 'Violation')).toEqual([]);
    expect(withSeverity(report, 'Warning')).toHaveLength(report.results.length);
    expect(missing).toEqual([
      // Rights holders are named by stewards in words; their kind is unknown.
      'Agent_Shape type',
      'Catalog_Shape license',
      'Catalog_Shape spatial',
      'DataService_Shape endpointDescription',
      'DataService_Shape keyword',
      'DataService_Shape servesDataset',
      'DataService_Shape theme',
      // The NodeSet source names no place.
      'Dataset_Shape spatial',
      // InfluxDB measurements have no time span in their metadata.
      'Dataset_Shape temporal',
      'Distribution_Shape availability',
      'Distribution_Shape description',
      // The distributions of the NodeSet have no media type.
      'Distribution_Shape format',
      // Distributions of datasets no steward has licensed yet.
      'Distribution_Shape license',
      'LicenceDocument_Shape type',
      // Places are names, without coordinates.
      'Location_Shape bbox',
      'Location_Shape centroid',
    ]);
    expect(report.results.every((result) => result.nodeShape?.startsWith(RECOMMENDED))).toBe(true);
  });
});

describe('dataset documents against DCAT-AP 3', () => {
  it('validate on their own', async () => {
    const samples = [
      demo.licensed[0],
      ...demo.runs.map((run) =>
        demo.publicDatasets.find((dataset) => dataset.sourceId === run.sourceId),
      ),
    ];
    for (const dataset of samples) {
      const response = await request(server)
        .get(`/id/${localIdOf(dataset!.pid)}`)
        .set('Accept', 'application/n-triples');

      const report = validateShacl(response.text, [dcatApShapes('shapes'), dcatApShapes('range')]);

      expect(response.status).toBe(200);
      expect({ dataset: dataset!.pid, results: report.results }).toEqual({
        dataset: dataset!.pid,
        results: [],
      });
    }
  });
});

describe('DCAT-AP violations', () => {
  it('reports a dataset without a description', () => {
    const dataset = demo.publicDatasets[0].pid;
    const withoutDescription = catalogQuads.filter(
      (quad) => !(quad.subject.value === dataset && quad.predicate.value === `${DCT}description`),
    );

    const report = validateShacl(toNTriples(withoutDescription), [dcatApShapes('shapes')]);

    expect(report.conforms).toBe(false);
    expect(report.results).toEqual([
      {
        focusNode: dataset,
        path: `${DCT}description`,
        constraint: `${SH}MinCountConstraintComponent`,
        severity: `${SH}Violation`,
        sourceShape: null,
        nodeShape: `${SHAPES}Dataset_Shape`,
        value: null,
        message: ['Less than 1 values'],
      },
    ]);
  });

  it('reports a licence that is not a licence document', () => {
    const licence = 'https://creativecommons.org/licenses/by/4.0/';
    const untyped = catalogQuads.filter(
      (quad) =>
        !(
          quad.subject.value === licence &&
          quad.predicate.value === RDF_TYPE &&
          quad.object.value === `${DCT}LicenseDocument`
        ),
    );
    const licensedDistributions = catalogQuads
      .filter(
        (quad) =>
          quad.predicate.value === `${DCAT}distribution` &&
          demo.licensed.some((dataset) => dataset.pid === quad.subject.value),
      )
      .map((quad) => quad.object.value)
      .sort();

    const report = validateShacl(toNTriples(untyped), [dcatApShapes('range')]);

    expect(report.conforms).toBe(false);
    expect(report.results.map((result) => result.focusNode).sort()).toEqual(licensedDistributions);
    for (const result of report.results) {
      expect(result).toMatchObject({
        path: `${DCT}license`,
        constraint: `${SH}ClassConstraintComponent`,
        severity: `${SH}Violation`,
        nodeShape: `${RANGE}Distribution_Shape`,
        value: licence,
      });
    }
  });
});
