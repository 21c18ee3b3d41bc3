import type { MetricDefinition } from './fair-metric.types';
import { DCAT, DCT, namespaceOf, PROV, QUDT, RDF_TYPE } from './graph';
import { embeddedDataset } from './findable.metrics';
import { failed, passed } from './outcome';

/** Vocabularies FAIR assessment tools recognise, by namespace. */
const KNOWN_VOCABULARIES: Readonly<Record<string, string>> = {
  'http://www.w3.org/ns/dcat#': 'DCAT',
  'http://purl.org/dc/terms/': 'DCMI Metadata Terms',
  'http://www.w3.org/ns/prov#': 'PROV-O',
  'http://www.w3.org/ns/sosa/': 'SOSA',
  'http://www.w3.org/ns/ssn/': 'SSN',
  'http://qudt.org/schema/qudt/': 'QUDT',
  'http://xmlns.com/foaf/0.1/': 'FOAF',
  'http://www.w3.org/2006/vcard/ns#': 'vCard',
  'http://www.w3.org/2004/02/skos/core#': 'SKOS',
  'http://www.w3.org/ns/adms#': 'ADMS',
  'http://www.w3.org/ns/hydra/core#': 'Hydra',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'RDF',
  'http://www.w3.org/2000/01/rdf-schema#': 'RDF Schema',
  'https://schema.org/': 'schema.org',
};

/** Links to related entities, by predicate. */
const RELATIONS: ReadonlyArray<[string, string]> = [
  [`${PROV}wasDerivedFrom`, 'source system (prov:wasDerivedFrom)'],
  [`${PROV}wasGeneratedBy`, 'harvest run (prov:wasGeneratedBy)'],
  [`${DCAT}accessService`, 'data service (dcat:accessService)'],
  [`${DCT}publisher`, 'publisher (dct:publisher)'],
  [`${DCT}license`, 'licence (dct:license)'],
  [`${QUDT}hasQuantityKind`, 'QUDT quantity kind (qudt:hasQuantityKind)'],
  [`${QUDT}hasUnit`, 'QUDT unit (qudt:hasUnit)'],
  [`${DCAT}theme`, 'data theme (dcat:theme)'],
];

export const INTEROPERABLE_METRICS: MetricDefinition[] = [
  {
    id: 'FsF-I1-01M',
    name: 'Metadata uses a formal knowledge representation language',
    principle: 'I1',
    tests: [
      {
        id: 'FsF-I1-01M-1',
        name: 'The landing page embeds parsable structured metadata (JSON-LD)',
        score: 1,
        check: (dataset) => {
          if (!embeddedDataset(dataset)) {
            return failed(
              `the landing page embeds ${dataset.embedded.length} parsable JSON-LD blocks, none a schema.org Dataset`,
              ...(dataset.unparsableEmbedded > 0
                ? [`${dataset.unparsableEmbedded} embedded blocks are not valid JSON`]
                : []),
            );
          }
          return passed('the landing page embeds a schema.org Dataset as JSON-LD that parses');
        },
      },
      {
        id: 'FsF-I1-01M-2',
        name: 'RDF is served by content negotiation',
        score: 1,
        check: (dataset) => {
          const same = dataset.turtleQuads.length === dataset.quads.length;
          const evidence = [
            `JSON-LD expands to ${dataset.quads.length} triples with the bundled context`,
            `Turtle parses to ${dataset.turtleQuads.length} triples`,
          ];
          return dataset.quads.length > 0 && same ? passed(...evidence) : failed(...evidence);
        },
      },
    ],
  },
  {
    id: 'FsF-I2-01M',
    name: 'Metadata uses semantic resources',
    principle: 'I2',
    tests: [
      {
        id: 'FsF-I2-01M-1',
        name: 'Terms come from known vocabularies',
        score: 1,
        check: (dataset) => {
          const namespaces = new Set<string>();
          for (const quad of dataset.quads) {
            namespaces.add(namespaceOf(quad.predicate.value));
            if (quad.predicate.value === RDF_TYPE) {
              namespaces.add(namespaceOf(quad.object.value));
            }
          }
          const known = [...namespaces].filter(
            (namespace) => KNOWN_VOCABULARIES[namespace] !== undefined,
          );
          const other = [...namespaces].filter(
            (namespace) => KNOWN_VOCABULARIES[namespace] === undefined,
          );
          const evidence = [
            `known vocabularies: ${
              known
                .map((namespace) => KNOWN_VOCABULARIES[namespace])
                .sort()
                .join(', ') || 'none'
            }`,
            ...(other.length > 0 ? [`other namespaces: ${other.sort().join(', ')}`] : []),
          ];
          return known.length > 0 ? passed(...evidence) : failed(...evidence);
        },
      },
    ],
  },
  {
    id: 'FsF-I3-01M',
    name: 'Metadata links the data to related entities',
    principle: 'I3',
    tests: [
      {
        id: 'FsF-I3-01M-1',
        name: 'Related entities are linked by IRIs with typed relations',
        score: 1,
        check: (dataset) => {
          const found: string[] = [];
          for (const [predicate, description] of RELATIONS) {
            const targets = dataset.quads.filter(
              (quad) => quad.predicate.value === predicate && quad.object.termType === 'NamedNode',
            );
            if (targets.length > 0) {
              found.push(
                `${description}: ${[...new Set(targets.map((quad) => quad.object.value))].join(', ')}`,
              );
            }
          }
          return found.length > 0
            ? passed(...found)
            : failed('the metadata links to no related entity by IRI');
        },
      },
    ],
  },
];
