import type { ExportWindow } from './export-window';
import { windowInterval } from './export-window';

/** Context and conformance of RO-Crate 1.2 (https://w3id.org/ro/crate/1.2, section "RO-Crate Metadata Document"). */
export const RO_CRATE_CONTEXT = 'https://w3id.org/ro/crate/1.2/context';
export const RO_CRATE_SPECIFICATION = 'https://w3id.org/ro/crate/1.2';
export const METADATA_FILE = 'ro-crate-metadata.json';

/** Name and version of the software that writes the crate. */
export const EXPORTER = { name: 'Weft', version: '0.1.0' };

/** One file of the crate, with what was measured after it was written. */
export interface CrateFile {
  /** Path inside the crate, relative to its root (`data/bioreactor.csv`). */
  path: string;
  name: string;
  description: string;
  /** IANA media type. */
  encodingFormat: string;
  /** Size in bytes. */
  contentSize: number;
  /** SHA-256 of the content, lower-case hex. */
  sha256: string;
}

/** A statement a source ran for the export, with how often (once per page) and the rows it returned. */
export interface CrateQuery {
  sourcePid: string;
  language: string;
  statement: string;
  executions: number;
  rowCount: number;
}

/** A harvest run that recorded or changed the dataset's metadata. */
export interface CrateHarvestRun {
  pid: string;
  status: string;
  startedAt: Date;
  endedAt: Date | null;
  sourcePid: string;
}

/** Everything the metadata document states. */
export interface CrateDescription {
  exportId: string;
  dataset: {
    pid: string;
    title: string;
    description: string | null;
    keywords: string[];
  };
  source: { pid: string; title: string; kind: string };
  licence: { id: string; name: string; url: string | null } | null;
  publisher: { id: string; name: string };
  /** Public URL of the Weft service that wrote the crate. */
  serviceUrl: string;
  /** The account that asked for the export. */
  requestedBy: { id: string; name: string };
  window: ExportWindow;
  startedAt: Date;
  endedAt: Date;
  rowCount: number;
  files: CrateFile[];
  manifest: CrateFile;
  queries: CrateQuery[];
  harvestRuns: CrateHarvestRun[];
}

type Entity = Record<string, unknown> & { '@id': string; '@type': string | string[] };

const NO_LICENCE_ID = '#no-licence';
const SOFTWARE_ID = '#weft';

/**
 * Build ro-crate-metadata.json for an exported window of a dataset, as
 * RO-Crate 1.2 describes it: the metadata descriptor, the root dataset
 * with name, description, datePublished, license, identifier and
 * temporalCoverage, a File entity per file with its size and SHA-256, and
 * the provenance as actions (section "Provenance of entities"): the export
 * as a CreateAction and each harvest run of the dataset as an UpdateAction.
 */
export function buildCrateMetadata(crate: CrateDescription): Record<string, unknown> {
  const licence = licenceEntity(crate.licence);
  const exportAction = `#export-${crate.exportId}`;
  const dataFiles = [...crate.files, crate.manifest];
  const queries = crate.queries.map((query, index) => queryEntity(query, index + 1));
  const harvests = crate.harvestRuns.map((run) => harvestEntity(run, crate.dataset.pid));
  const period = windowInterval(crate.window);
  const exportStatus = 'CompletedActionStatus';

  const root: Entity = {
    '@id': './',
    '@type': 'Dataset',
    name: `${crate.dataset.title}, ${period}`,
    description:
      `${crate.rowCount} rows of ${crate.dataset.title} from ${crate.window.from.toISOString()} (included) ` +
      `to ${crate.window.to.toISOString()} (excluded), read from its source by Weft, as CSV and Parquet.` +
      (crate.dataset.description === null ? '' : ` ${crate.dataset.description}`),
    datePublished: crate.endedAt.toISOString(),
    identifier: crate.dataset.pid,
    'cite-as': crate.dataset.pid,
    temporalCoverage: period,
    license: { '@id': licence['@id'] },
    author: { '@id': crate.publisher.id },
    publisher: { '@id': crate.publisher.id },
    isBasedOn: { '@id': crate.dataset.pid },
    hasPart: dataFiles.map((file) => ({ '@id': file.path })),
    mentions: [{ '@id': exportAction }, ...harvests.map((run) => ({ '@id': run['@id'] }))],
  };
  if (crate.dataset.keywords.length > 0) {
    root.keywords = crate.dataset.keywords;
  }

  const graph: Entity[] = [
    {
      '@id': METADATA_FILE,
      '@type': 'CreativeWork',
      conformsTo: { '@id': RO_CRATE_SPECIFICATION },
      about: { '@id': './' },
    },
    root,
    ...dataFiles.map(fileEntity),
    licence,
    organizationEntity(crate.publisher),
    { '@id': crate.requestedBy.id, '@type': 'Person', name: crate.requestedBy.name },
    {
      '@id': SOFTWARE_ID,
      '@type': 'SoftwareApplication',
      name: EXPORTER.name,
      version: EXPORTER.version,
      url: crate.serviceUrl,
    },
    {
      '@id': crate.dataset.pid,
      '@type': 'CreativeWork',
      name: crate.dataset.title,
      description: 'The catalogued dataset whose data this crate holds a window of.',
      url: crate.dataset.pid,
    },
    {
      '@id': crate.source.pid,
      '@type': 'CreativeWork',
      name: crate.source.title,
      description: `The ${crate.source.kind} source that holds the dataset's data.`,
      url: crate.source.pid,
    },
    {
      '@id': exportAction,
      '@type': 'CreateAction',
      name: `Export of ${crate.dataset.title}, ${period}`,
      description:
        `Read ${crate.rowCount} rows from the source with ${crate.queries.length} distinct pushed-down ` +
        `statements (one run per page) and wrote them as CSV and Parquet.`,
      agent: { '@id': crate.requestedBy.id },
      instrument: { '@id': SOFTWARE_ID },
      startTime: crate.startedAt.toISOString(),
      endTime: crate.endedAt.toISOString(),
      actionStatus: { '@id': `http://schema.org/${exportStatus}` },
      object: [{ '@id': crate.dataset.pid }, ...queries.map((query) => ({ '@id': query['@id'] }))],
      result: dataFiles.map((file) => ({ '@id': file.path })),
    },
    ...queries,
    ...harvests,
    ...actionStatuses([
      exportStatus,
      ...crate.harvestRuns.map((run) => actionStatusOf(run.status)),
    ]),
  ];
  return { '@context': RO_CRATE_CONTEXT, '@graph': graph };
}

function fileEntity(file: CrateFile): Entity {
  return {
    '@id': file.path,
    '@type': 'File',
    name: file.name,
    description: file.description,
    encodingFormat: file.encodingFormat,
    contentSize: String(file.contentSize),
    sha256: file.sha256,
  };
}

/** Build the licence's contextual entity, or for a dataset without a licence an entity stating that, so license is never left out. */
function licenceEntity(licence: CrateDescription['licence']): Entity {
  if (licence === null) {
    return {
      '@id': NO_LICENCE_ID,
      '@type': 'CreativeWork',
      name: 'no licence assigned',
      description:
        'No licence was assigned to this dataset in the catalog when it was exported: ask the publisher before reusing the data.',
    };
  }
  return {
    '@id': licence.url ?? `#licence-${licence.id}`,
    '@type': 'CreativeWork',
    name: licence.name,
    description: `The licence the dataset carries in the catalog (${licence.id}).`,
    identifier: licence.id,
    ...(licence.url === null ? {} : { url: licence.url }),
  };
}

/**
 * Describe a pushed-down statement as a CreativeWork whose text is the
 * statement, because RO-Crate 1.2 reads SoftwareSourceCode as a script
 * file, which a statement is not.
 */
function queryEntity(query: CrateQuery, index: number): Entity {
  const runs = query.executions === 1 ? 'once' : `${query.executions} times (once per page)`;
  return {
    '@id': `#query-${index}`,
    '@type': 'CreativeWork',
    name: `${query.language} statement ${index}`,
    description: `${query.language} run ${runs} by source ${query.sourcePid}; it returned ${query.rowCount} rows in all. Bound parameters ($from, $to, $1 and so on) held the window and the page position.`,
    text: query.statement,
  };
}

function organizationEntity(publisher: CrateDescription['publisher']): Entity {
  const entity: Entity = { '@id': publisher.id, '@type': 'Organization', name: publisher.name };
  if (/^https?:\/\//.test(publisher.id)) {
    entity.url = publisher.id;
  }
  return entity;
}

/** Describe the action statuses used, so every referenced entity is in the graph. */
function actionStatuses(statuses: string[]): Entity[] {
  return [...new Set(statuses)].map((status) => ({
    '@id': `http://schema.org/${status}`,
    '@type': 'ActionStatusType',
    name: status.replace(/ActionStatus$/, ''),
  }));
}

function harvestEntity(run: CrateHarvestRun, datasetPid: string): Entity {
  const entity: Entity = {
    '@id': run.pid,
    '@type': 'UpdateAction',
    name: `Harvest run ${run.pid}`,
    description: "A harvest run that recorded or changed the dataset's metadata in the catalog.",
    instrument: { '@id': SOFTWARE_ID },
    object: { '@id': run.sourcePid },
    result: { '@id': datasetPid },
    startTime: run.startedAt.toISOString(),
    actionStatus: { '@id': `http://schema.org/${actionStatusOf(run.status)}` },
  };
  if (run.endedAt !== null) {
    entity.endTime = run.endedAt.toISOString();
  }
  return entity;
}

function actionStatusOf(status: string): string {
  switch (status) {
    case 'running':
      return 'ActiveActionStatus';
    case 'failed':
      return 'FailedActionStatus';
    default:
      return 'CompletedActionStatus';
  }
}
