import type { MetricDefinition, ServedDataset, TestOutcome } from './fair-metric.types';
import { DCAT, DCT, hasType, objectsOf, schemeOf, valuesOf } from './graph';
import { failed, notAssessed, passed, requireAll } from './outcome';

/**
 * Identifier bases that persistent identifier systems govern. An http(s)
 * identifier under any other host is unique, but stays resolvable only as
 * long as that host keeps its URLs.
 */
const PERSISTENT_BASES: ReadonlyArray<[RegExp, string]> = [
  [/^ark:/i, 'ARK'],
  [/^https?:\/\/n2t\.net\/ark:/i, 'ARK (N2T resolver)'],
  [/^https?:\/\/w3id\.org\//i, 'w3id.org permanent identifier'],
  [/^https?:\/\/purl\.org\//i, 'PURL'],
  [/^https?:\/\/(dx\.)?doi\.org\/10\./i, 'DOI'],
  [/^https?:\/\/hdl\.handle\.net\//i, 'Handle'],
  [/^https?:\/\/identifiers\.org\//i, 'identifiers.org'],
];

/** Citation elements (DataCite's mandatory properties) and the terms Weft writes them with. */
const CITATION: ReadonlyArray<[string, string]> = [
  ['creator', `${DCT}creator`],
  ['title', `${DCT}title`],
  ['identifier', `${DCT}identifier`],
  ['publisher', `${DCT}publisher`],
  ['publication date', `${DCT}issued`],
];

const DESCRIPTIVE: ReadonlyArray<[string, string]> = [
  ['description', `${DCT}description`],
  ['keywords', `${DCAT}keyword`],
];

export const FINDABLE_METRICS: MetricDefinition[] = [
  {
    id: 'FsF-F1-01D',
    name: 'Data has a globally unique identifier',
    principle: 'F1',
    tests: [
      {
        id: 'FsF-F1-01D-1',
        name: 'The identifier is an IRI that resolves',
        score: 1,
        check: (dataset) => {
          const scheme = schemeOf(dataset.pid);
          if (scheme === null) {
            return failed(`identifier ${dataset.pid} has no URI scheme`);
          }
          return resolves(dataset, `identifier ${dataset.pid} is an IRI (scheme ${scheme})`);
        },
      },
    ],
  },
  {
    id: 'FsF-F1-02D',
    name: 'Data has a persistent identifier',
    principle: 'F1',
    tests: [
      {
        id: 'FsF-F1-02D-1',
        name: 'The identifier follows a persistent identifier scheme',
        score: 0.5,
        check: (dataset) => {
          const scheme = PERSISTENT_BASES.find(([pattern]) => pattern.test(dataset.pid));
          return scheme === undefined
            ? failed(
                `identifier ${dataset.pid} is a plain URL, not under a persistent identifier system: set WEFT_PID_BASE to a w3id.org, ARK or Handle base`,
              )
            : passed(`identifier ${dataset.pid} is a ${scheme[1]}`);
        },
      },
      {
        id: 'FsF-F1-02D-2',
        name: 'The persistent identifier resolves',
        score: 0.5,
        check: (dataset) =>
          resolves(dataset, `identifier ${dataset.pid} resolves at ${dataset.landingPage}`),
      },
    ],
  },
  {
    id: 'FsF-F2-01M',
    name: 'Metadata has the descriptive core elements',
    principle: 'F2',
    tests: [
      {
        id: 'FsF-F2-01M-1',
        name: 'Metadata is offered by common web methods',
        score: 0.5,
        check: (dataset) => {
          const methods = webMethods(dataset);
          return methods.length === 0
            ? failed('no metadata embedded, by content negotiation or by Signposting')
            : passed(...methods);
        },
      },
      {
        id: 'FsF-F2-01M-2',
        name: 'Core citation metadata is present',
        score: 0.5,
        check: (dataset) => presence(dataset, CITATION, 'citation metadata'),
      },
      {
        id: 'FsF-F2-01M-3',
        name: 'Core descriptive metadata is present',
        score: 1,
        check: (dataset) =>
          presence(dataset, [...CITATION, ...DESCRIPTIVE], 'descriptive metadata'),
      },
    ],
  },
  {
    id: 'FsF-F3-01M',
    name: 'Metadata includes the identifier of the data',
    principle: 'F3',
    tests: [
      {
        id: 'FsF-F3-01M-1',
        name: 'Metadata describes the data content (media type or format)',
        score: 0.5,
        check: (dataset) => {
          const distributions = valuesOf(dataset.quads, dataset.pid, `${DCAT}distribution`);
          const described = distributions.filter(
            (distribution) =>
              objectsOf(dataset.quads, distribution, `${DCAT}mediaType`).length > 0 ||
              objectsOf(dataset.quads, distribution, `${DCT}format`).length > 0,
          );
          return distributions.length > 0 && described.length === distributions.length
            ? passed(
                `${described.length} of ${distributions.length} distributions state a media type or format`,
              )
            : failed(
                `${described.length} of ${distributions.length} distributions state a media type or format`,
              );
        },
      },
      {
        id: 'FsF-F3-01M-2',
        name: 'Metadata gives the location of the data',
        score: 0.5,
        check: (dataset) => {
          const urls = accessUrls(dataset);
          return urls.length === 0
            ? failed('no distribution has a dcat:accessURL or dcat:downloadURL')
            : passed(`data locations (dcat:accessURL): ${urls.join(', ')}`);
        },
      },
    ],
  },
  {
    id: 'FsF-F4-01M',
    name: 'Metadata can be retrieved by machines and search engines',
    principle: 'F4',
    tests: [
      {
        id: 'FsF-F4-01M-1',
        name: 'Search engines can ingest the metadata (schema.org JSON-LD in the landing page)',
        score: 1,
        check: (dataset) =>
          embeddedDataset(dataset)
            ? passed(
                `the landing page ${dataset.landingPage} embeds a schema.org Dataset in JSON-LD`,
              )
            : failed(`the landing page ${dataset.landingPage} embeds no schema.org Dataset`),
      },
      {
        id: 'FsF-F4-01M-2',
        name: 'Metadata is registered in a research data registry',
        score: 1,
        check: () =>
          notAssessed(
            'registration with DataCite or another research data registry cannot be checked from the site alone',
          ),
      },
    ],
  },
];

function resolves(dataset: ServedDataset, found: string): TestOutcome {
  return dataset.status === 200
    ? passed(found, `GET ${dataset.landingPage} answers 200`)
    : failed(found, `GET ${dataset.landingPage} answers ${dataset.status}`);
}

function presence(
  dataset: ServedDataset,
  elements: ReadonlyArray<[string, string]>,
  subject: string,
): TestOutcome {
  const found: string[] = [];
  const missing: string[] = [];
  for (const [name, predicate] of elements) {
    const present = objectsOf(dataset.quads, dataset.pid, predicate).length > 0;
    (present ? found : missing).push(name);
  }
  return requireAll(found, missing, subject);
}

/** Return the web methods by which the site offers the dataset's metadata. */
export function webMethods(dataset: ServedDataset): string[] {
  const methods: string[] = [];
  if (dataset.embedded.length > 0) {
    methods.push('JSON-LD embedded in the landing page');
  }
  if (dataset.quads.length > 0 && hasType(dataset.quads, dataset.pid, `${DCAT}Dataset`)) {
    methods.push('DCAT by content negotiation (JSON-LD, Turtle, N-Triples)');
  }
  const describedBy = dataset.links.filter((link) => link.rel === 'describedby');
  if (describedBy.length > 0) {
    methods.push(
      `Signposting describedby links: ${describedBy.map((link) => `${link.href} (${link.type ?? 'no type'})`).join(', ')}`,
    );
  }
  return methods;
}

/** Return the access and download URLs of the dataset's distributions. */
export function accessUrls(dataset: ServedDataset): string[] {
  const distributions = valuesOf(dataset.quads, dataset.pid, `${DCAT}distribution`);
  return distributions.flatMap((distribution) => [
    ...valuesOf(dataset.quads, distribution, `${DCAT}accessURL`),
    ...valuesOf(dataset.quads, distribution, `${DCAT}downloadURL`),
  ]);
}

/** Say whether the landing page embeds a schema.org Dataset. */
export function embeddedDataset(dataset: ServedDataset): boolean {
  return dataset.embedded.some((block) => {
    if (typeof block !== 'object' || block === null) {
      return false;
    }
    const node = block as Record<string, unknown>;
    const context = node['@context'];
    return (
      typeof context === 'string' &&
      /^https?:\/\/schema\.org\/?$/.test(context) &&
      node['@type'] === 'Dataset'
    );
  });
}
