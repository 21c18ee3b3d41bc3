import type { MetricDefinition, ServedDataset, TestOutcome } from './fair-metric.types';
import {
  DCAT,
  DCT,
  hasType,
  nodesOfType,
  objectsOf,
  PROV,
  QUDT,
  SOSA,
  valuesOf,
  WEFT,
  XSD,
} from './graph';
import { failed, notAssessed, passed } from './outcome';

/** Datatypes of numeric values, which need a unit to be reused. */
const NUMERIC_DATATYPES = new Set([
  `${XSD}double`,
  `${XSD}integer`,
  `${XSD}decimal`,
  `${XSD}float`,
]);

/** Open formats with public specifications, by media type, for the data of distributions. */
const OPEN_FORMATS: Readonly<Record<string, string>> = {
  'application/json': 'JSON (RFC 8259)',
  'text/csv': 'CSV (RFC 4180)',
  'application/csv': 'CSV (RFC 4180)',
  'application/xml': 'XML 1.0',
  'text/xml': 'XML 1.0',
  'text/plain': 'plain text',
  'application/vnd.apache.parquet': 'Apache Parquet',
  'application/x-netcdf': 'NetCDF',
};

const SH_VIOLATION = 'http://www.w3.org/ns/shacl#Violation';

export const REUSABLE_METRICS: MetricDefinition[] = [
  {
    id: 'FsF-R1-01MD',
    name: 'Metadata describes the content of the data',
    principle: 'R1',
    tests: [
      {
        id: 'FsF-R1-01MD-1',
        name: 'Resource type and data content are given',
        score: 1,
        check: (dataset) => {
          const isDataset = hasType(dataset.quads, dataset.pid, `${DCAT}Dataset`);
          const distributions = valuesOf(dataset.quads, dataset.pid, `${DCAT}distribution`);
          const evidence = [
            isDataset ? 'the resource is a dcat:Dataset' : 'the resource is not typed dcat:Dataset',
            `${distributions.length} distributions`,
          ];
          return isDataset && distributions.length > 0 ? passed(...evidence) : failed(...evidence);
        },
      },
      {
        id: 'FsF-R1-01MD-2',
        name: 'Measured variables are given with their units',
        score: 1,
        check: (dataset) => variablesWithUnits(dataset),
      },
      {
        id: 'FsF-R1-01MD-3',
        name: 'Data content matches the file type and size in the metadata',
        score: 1,
        check: () =>
          notAssessed(
            'distributions are live streams and database queries without a file size; comparing data files with their metadata needs the data itself',
          ),
      },
      {
        id: 'FsF-R1-01MD-4',
        name: 'Measured variables were observed in the data',
        score: 1,
        check: (dataset) => {
          const properties = observableProperties(dataset);
          if (properties.length === 0) {
            return failed('the dataset lists no observable properties');
          }
          const unobserved = properties.filter(
            (property) =>
              Number(valuesOf(dataset.quads, property, `${WEFT}observedCount`)[0] ?? 0) <= 0,
          );
          const evidence = [
            `${properties.length - unobserved.length} of ${properties.length} properties were observed in harvested values (weft:observedCount)`,
          ];
          if (unobserved.length > 0) {
            evidence.push(`never observed: ${unobserved.map(propertyName(dataset)).join(', ')}`);
            return failed(...evidence);
          }
          return passed(...evidence);
        },
      },
    ],
  },
  {
    id: 'FsF-R1.1-01M',
    name: 'Metadata includes the licence of the data',
    principle: 'R1.1',
    tests: [
      {
        id: 'FsF-R1.1-01M-1',
        name: 'A licence is given in dct:license',
        score: 1,
        check: (dataset) => {
          const licences = licencesOf(dataset);
          return licences.length === 0
            ? failed(
                'neither the dataset nor its distributions have a dct:license: a steward has to assign one',
              )
            : passed(`dct:license ${licences.join(', ')}`);
        },
      },
      {
        id: 'FsF-R1.1-01M-2',
        name: 'The licence is on the SPDX licence list',
        score: 1,
        check: (dataset) => {
          const licence = dataset.record.licence;
          if (licence === null) {
            return failed('no licence is assigned');
          }
          return licence.isCustom
            ? failed(`${licence.id} is a licence of the site, not on the SPDX licence list`)
            : passed(`${licence.id} (${licence.name}) is on the SPDX licence list`);
        },
      },
    ],
  },
  {
    id: 'FsF-R1.2-01M',
    name: 'Metadata includes provenance of the data',
    principle: 'R1.2',
    tests: [
      {
        id: 'FsF-R1.2-01M-1',
        name: 'Provenance elements are present (creation date, creator, provenance statement)',
        score: 1,
        check: (dataset) => {
          const elements: Array<[string, string]> = [
            ['creation date (dct:issued)', `${DCT}issued`],
            ['creator (dct:creator)', `${DCT}creator`],
            ['provenance statement (dct:provenance)', `${DCT}provenance`],
          ];
          const missing = elements.filter(
            ([, predicate]) => objectsOf(dataset.quads, dataset.pid, predicate).length === 0,
          );
          const found = elements.filter((element) => !missing.includes(element));
          const evidence = [
            ...(found.length > 0 ? [`present: ${found.map(([name]) => name).join(', ')}`] : []),
            ...(missing.length > 0 ? [`missing: ${missing.map(([name]) => name).join(', ')}`] : []),
          ];
          return missing.length === 0 ? passed(...evidence) : failed(...evidence);
        },
      },
      {
        id: 'FsF-R1.2-01M-2',
        name: 'Provenance is stated in PROV-O',
        score: 1,
        check: (dataset) => provOProvenance(dataset),
      },
    ],
  },
  {
    id: 'FsF-R1.3-01M',
    name: 'Metadata follows a community standard (DCAT-AP 3)',
    principle: 'R1.3',
    tests: [
      {
        id: 'FsF-R1.3-01M-1',
        name: 'The description conforms to the DCAT-AP 3 SHACL shapes',
        score: 1,
        check: (dataset) => {
          const validation = dataset.dcatAp;
          if ('error' in validation) {
            return notAssessed(
              `validation against ${validation.shapes} did not run: ${validation.error}`,
            );
          }
          const violations = validation.report.results.filter(
            (result) => result.severity === SH_VIOLATION,
          );
          if (violations.length === 0) {
            return passed(`no violations of ${validation.shapes}`);
          }
          return failed(
            `${violations.length} violations of ${validation.shapes}`,
            ...violations
              .slice(0, 10)
              .map(
                (violation) =>
                  `${violation.focusNode ?? '?'} ${violation.path ?? ''}: ${violation.message.join('; ') || violation.constraint}`,
              ),
          );
        },
      },
    ],
  },
  {
    id: 'FsF-R1.3-02D',
    name: 'Data is offered in a community-endorsed format',
    principle: 'R1.3',
    tests: [
      {
        id: 'FsF-R1.3-02D-1',
        name: 'Every distribution uses an open, documented format',
        score: 1,
        check: (dataset) => {
          const distributions = dataset.record.distributions;
          if (distributions.length === 0) {
            return failed('the dataset has no distributions');
          }
          const evidence = distributions.map((distribution) => {
            const essence = distribution.mediaType?.split(';')[0]?.trim().toLowerCase() ?? '';
            const format = OPEN_FORMATS[essence];
            return format === undefined
              ? `${distribution.title}: ${distribution.mediaType ?? distribution.format ?? 'no media type'} is not a known open format`
              : `${distribution.title}: ${format}`;
          });
          const open = distributions.every(
            (distribution) =>
              OPEN_FORMATS[distribution.mediaType?.split(';')[0]?.trim().toLowerCase() ?? ''] !==
              undefined,
          );
          return open ? passed(...evidence) : failed(...evidence);
        },
      },
    ],
  },
];

function observableProperties(dataset: ServedDataset): string[] {
  return nodesOfType(dataset.quads, `${SOSA}ObservableProperty`);
}

function propertyName(dataset: ServedDataset): (property: string) => string {
  return (property) => valuesOf(dataset.quads, property, `${WEFT}propertyName`)[0] ?? property;
}

/** Pass when the dataset lists variables and each numeric one has a UCUM unit. */
function variablesWithUnits(dataset: ServedDataset): TestOutcome {
  const properties = observableProperties(dataset);
  if (properties.length === 0) {
    return failed('the dataset lists no observable properties (sosa:ObservableProperty)');
  }
  const numeric = properties.filter((property) =>
    valuesOf(dataset.quads, property, `${WEFT}datatype`).some((datatype) =>
      NUMERIC_DATATYPES.has(datatype),
    ),
  );
  const withoutUnit = numeric.filter(
    (property) => valuesOf(dataset.quads, property, `${QUDT}ucumCode`).length === 0,
  );
  const withQudtUnit = numeric.filter(
    (property) => valuesOf(dataset.quads, property, `${QUDT}hasUnit`).length > 0,
  );
  const evidence = [
    `${properties.length} observable properties, ${numeric.length} numeric`,
    `${numeric.length - withoutUnit.length} of ${numeric.length} numeric properties have a UCUM unit (qudt:ucumCode), ${withQudtUnit.length} a QUDT unit IRI`,
  ];
  if (withoutUnit.length > 0) {
    evidence.push(`without a unit: ${withoutUnit.map(propertyName(dataset)).join(', ')}`);
    return failed(...evidence);
  }
  return passed(...evidence);
}

function licencesOf(dataset: ServedDataset): string[] {
  const distributions = valuesOf(dataset.quads, dataset.pid, `${DCAT}distribution`);
  const licences = [
    ...objectsOf(dataset.quads, dataset.pid, `${DCT}license`),
    ...distributions.flatMap((distribution) =>
      objectsOf(dataset.quads, distribution, `${DCT}license`),
    ),
  ].map((object) => (object.termType === 'NamedNode' ? object.value : 'a licence without IRI'));
  return [...new Set(licences)];
}

/** Pass when the dataset was generated by a PROV-O activity whose record exists, and derives from its source. */
function provOProvenance(dataset: ServedDataset): TestOutcome {
  const evidence: string[] = [];
  let complete = true;

  const derivedFrom = valuesOf(dataset.quads, dataset.pid, `${PROV}wasDerivedFrom`);
  if (derivedFrom.length > 0) {
    evidence.push(`prov:wasDerivedFrom ${derivedFrom.join(', ')}`);
  } else {
    evidence.push('no prov:wasDerivedFrom');
    complete = false;
  }

  const generatedBy = valuesOf(dataset.quads, dataset.pid, `${PROV}wasGeneratedBy`);
  const activity = generatedBy.find((run) => hasType(dataset.quads, run, `${PROV}Activity`));
  if (activity === undefined) {
    evidence.push(
      'no prov:wasGeneratedBy naming a prov:Activity: the harvest run that created the dataset is not on record',
    );
    complete = false;
  } else if (dataset.generatingActivity === null) {
    evidence.push(`prov:wasGeneratedBy ${activity}, but the run has no PROV-O record yet`);
    complete = false;
  } else {
    evidence.push(
      `prov:wasGeneratedBy ${activity}, whose PROV-O record resolves at that identifier`,
    );
  }
  return complete ? passed(...evidence) : failed(...evidence);
}
