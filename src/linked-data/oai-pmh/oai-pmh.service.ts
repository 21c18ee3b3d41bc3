import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { WeftConfigService } from '../../config/weft-config.service';
import { DatasetRecordsLoader } from '../dataset-records.loader';
import type { DatasetRecord } from '../descriptions/dataset-record';
import { describeDataset, document } from '../descriptions/dataset.description';
import { BundledContexts } from '../json-ld/bundled-contexts.service';
import { RdfSerializer } from '../json-ld/rdf-serializer.service';
import { writeRdfXml } from '../json-ld/rdf-xml.writer';
import { LinkedDataSite } from '../linked-data-site.service';
import { escapeXml } from '../xml/xml-text';
import { oaiDcRecord } from './oai-dc.record';
import { OaiPmhError } from './oai-pmh.error';
import type { ListArguments, OaiRequest } from './oai-pmh.request';
import { parseOaiRequest } from './oai-pmh.request';
import {
  errorElement,
  headerElement,
  METADATA_FORMATS,
  oaiResponse,
  resumptionTokenElement,
  setSpecOf,
  sourceKeyOf,
  utcDatestamp,
} from './oai-pmh.xml';
import { OaiRecordsRepository } from './oai-records.repository';
import type { OaiRecordRow } from './oai-records.repository';
import type { ResumptionState } from './resumption-token';
import { decodeResumptionToken, encodeResumptionToken } from './resumption-token';

/** Records per ListIdentifiers or ListRecords response; the rest follows with a resumption token. */
export const OAI_PAGE_SIZE = 100;

/**
 * An OAI-PMH 2.0 data provider over the catalog, for repository
 * harvesters. Records are the datasets that are public or once were:
 * withdrawn ones and ones taken out of public view stay as deleted records,
 * so the repository supports deletedRecord "persistent". Each record is
 * identified by its dataset's persistent identifier, belongs to the set of
 * its source system, and is offered as oai_dc and as DCAT in RDF/XML.
 */
@Injectable()
export class OaiPmhService {
  private readonly logger = new Logger(OaiPmhService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: OaiRecordsRepository,
    private readonly records: DatasetRecordsLoader,
    private readonly site: LinkedDataSite,
    private readonly serializer: RdfSerializer,
    private readonly contexts: BundledContexts,
    private readonly config: WeftConfigService,
  ) {}

  /** Build the response to a request given as its arguments (each name with every value it was given). */
  async respond(parameters: Record<string, string[]>, now = new Date()): Promise<string> {
    const baseUrl = `${this.site.facts.baseUrl}/oai`;
    let request: OaiRequest;
    try {
      request = parseOaiRequest(parameters);
    } catch (error) {
      if (error instanceof OaiPmhError) {
        return oaiResponse(baseUrl, null, errorElement(error), now);
      }
      throw error;
    }

    const echoed = echoedArguments(parameters);
    try {
      return oaiResponse(baseUrl, echoed, await this.body(request), now);
    } catch (error) {
      if (error instanceof OaiPmhError) {
        return oaiResponse(baseUrl, error.hidesArguments ? null : echoed, errorElement(error), now);
      }
      throw error;
    }
  }

  private async body(request: OaiRequest): Promise<string> {
    switch (request.verb) {
      case 'Identify':
        return this.identify();
      case 'ListMetadataFormats':
        return this.listMetadataFormats(request.identifier);
      case 'ListSets':
        return this.listSets(request.resumptionToken);
      case 'GetRecord':
        return this.getRecord(request.identifier, request.metadataPrefix);
      case 'ListIdentifiers':
        return this.list(request.list, false);
      case 'ListRecords':
        return this.list(request.list, true);
    }
  }

  private async identify(): Promise<string> {
    const earliest = (await this.repository.earliestDatestamp()) ?? new Date();
    const settings = this.config.value;
    return (
      '<Identify>' +
      `<repositoryName>${escapeXml(settings.catalogTitle)}</repositoryName>` +
      `<baseURL>${escapeXml(`${settings.baseUrl}/oai`)}</baseURL>` +
      '<protocolVersion>2.0</protocolVersion>' +
      `<adminEmail>${escapeXml(this.adminEmail())}</adminEmail>` +
      `<earliestDatestamp>${utcDatestamp(earliest)}</earliestDatestamp>` +
      '<deletedRecord>persistent</deletedRecord>' +
      '<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>' +
      '</Identify>'
    );
  }

  /**
   * Return the contact address, which Identify must name. Without
   * WEFT_CONTACT_EMAIL it is the postmaster of the site's host, the mailbox
   * RFC 5321 (section 4.5.1) requires every mail domain to accept.
   */
  private adminEmail(): string {
    return (
      this.config.value.contactEmail ?? `postmaster@${new URL(this.site.facts.baseUrl).hostname}`
    );
  }

  private async listMetadataFormats(identifier: string | null): Promise<string> {
    if (identifier !== null && (await this.repository.byPid(identifier)) === null) {
      throw idDoesNotExist(identifier);
    }
    const formats = METADATA_FORMATS.map(
      (format) =>
        `<metadataFormat><metadataPrefix>${format.prefix}</metadataPrefix>` +
        `<schema>${escapeXml(format.schema)}</schema>` +
        `<metadataNamespace>${escapeXml(format.namespace)}</metadataNamespace></metadataFormat>`,
    );
    return `<ListMetadataFormats>${formats.join('')}</ListMetadataFormats>`;
  }

  private async listSets(resumptionToken: string | null): Promise<string> {
    if (resumptionToken !== null) {
      // Every set fits in one response, so this repository never issues ListSets tokens.
      throw new OaiPmhError(
        'badResumptionToken',
        'ListSets answers in one response and issues no resumption tokens: send ListSets without one',
      );
    }
    const sets = await this.repository.sets();
    const elements = sets.map(
      (set) =>
        `<set><setSpec>${escapeXml(setSpecOf(set.sourceKey))}</setSpec>` +
        `<setName>${escapeXml(set.title)}</setName></set>`,
    );
    return `<ListSets>${elements.join('')}</ListSets>`;
  }

  private async getRecord(identifier: string, metadataPrefix: string): Promise<string> {
    assertFormat(metadataPrefix);
    const row = await this.repository.byPid(identifier);
    if (row === null) {
      throw idDoesNotExist(identifier);
    }
    const [record] = await this.recordElements([row], metadataPrefix);
    return `<GetRecord>${record}</GetRecord>`;
  }

  private async list(list: ListArguments, withMetadata: boolean): Promise<string> {
    const state = await this.startOf(list);
    const rows = await this.repository.list(state.selection, state.position, OAI_PAGE_SIZE + 1);
    if (rows.length === 0) {
      throw new OaiPmhError(
        'noRecordsMatch',
        'no records match the metadataPrefix, from, until and set given: widen the dates or drop the set',
      );
    }

    const page = rows.slice(0, OAI_PAGE_SIZE);
    const more = rows.length > OAI_PAGE_SIZE;
    const resumed = list.kind === 'resume';
    const items = withMetadata
      ? await this.recordElements(page, state.metadataPrefix)
      : page.map((row) => headerElement(row));
    const element = withMetadata ? 'ListRecords' : 'ListIdentifiers';

    let token = '';
    if (more || resumed) {
      const completeListSize = await this.repository.count(state.selection);
      const last = page[page.length - 1];
      const next = more
        ? encodeResumptionToken({
            metadataPrefix: state.metadataPrefix,
            selection: state.selection,
            position: { cursorTime: last.cursorTime, datasetId: last.datasetId },
            cursor: state.cursor + page.length,
          })
        : null;
      token = resumptionTokenElement(next, completeListSize, state.cursor);
    }
    return `<${element}>${items.join('')}${token}</${element}>`;
  }

  /** Turn fresh arguments or a resumption token into the selection and position to list from. */
  private async startOf(
    list: ListArguments,
  ): Promise<Omit<ResumptionState, 'position'> & { position: ResumptionState['position'] | null }> {
    if (list.kind === 'resume') {
      const state = decodeResumptionToken(list.resumptionToken);
      assertFormat(state.metadataPrefix);
      return state;
    }
    assertFormat(list.metadataPrefix);
    let sourceKey: string | null = null;
    if (list.set !== null) {
      sourceKey = sourceKeyOf(list.set);
      if (sourceKey === null || !(await this.repository.setExists(sourceKey))) {
        throw new OaiPmhError(
          'noRecordsMatch',
          `set ${list.set.slice(0, 80)} does not exist: ListSets names the sets, one per source system`,
        );
      }
    }
    return {
      metadataPrefix: list.metadataPrefix,
      selection: { sourceKey, from: list.from, until: list.until },
      position: null,
      cursor: 0,
    };
  }

  /** Write full records: header and metadata, or the header alone for deleted records. */
  private async recordElements(rows: OaiRecordRow[], metadataPrefix: string): Promise<string[]> {
    const live = rows.filter((row) => !row.deleted).map((row) => row.datasetId);
    const datasets =
      live.length === 0
        ? []
        : await this.dataSource.getRepository(DatasetEntity).find({ where: { id: In(live) } });
    const records = await this.records.load(datasets);
    const byId = new Map(records.map((record) => [record.dataset.id, record]));

    const elements: string[] = [];
    for (const row of rows) {
      const record = byId.get(row.datasetId);
      const metadata =
        record === undefined
          ? ''
          : `<metadata>${await this.metadata(record, metadataPrefix)}</metadata>`;
      elements.push(`<record>${headerElement(row)}${metadata}</record>`);
    }
    return elements;
  }

  private async metadata(record: DatasetRecord, metadataPrefix: string): Promise<string> {
    const site = this.site.facts;
    if (metadataPrefix === 'oai_dc') {
      return oaiDcRecord(record, site);
    }
    const quads = await this.serializer.toQuads(document(site, describeDataset(record, site)));
    try {
      return writeRdfXml(quads, this.contexts.prefixes);
    } catch (error) {
      this.logger.error({
        msg: 'DCAT record could not be written as RDF/XML',
        datasetPid: record.dataset.pid,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}

function assertFormat(metadataPrefix: string): void {
  if (!METADATA_FORMATS.some((format) => format.prefix === metadataPrefix)) {
    throw new OaiPmhError(
      'cannotDisseminateFormat',
      `metadataPrefix ${metadataPrefix.slice(0, 40)} is not offered: use ${METADATA_FORMATS.map((format) => format.prefix).join(' or ')}`,
    );
  }
}

function idDoesNotExist(identifier: string): OaiPmhError {
  return new OaiPmhError(
    'idDoesNotExist',
    `${identifier.slice(0, 200)} is not an identifier of this repository: records are identified by the persistent identifiers of public datasets`,
  );
}

/**
 * Return the arguments of a valid request as given, to echo as attributes
 * of the request element (section 3.2), the verb first. A valid request has every
 * argument once, so the first value is the only one.
 */
function echoedArguments(parameters: Record<string, string[]>): Record<string, string> {
  const echoed: Record<string, string> = {};
  for (const name of ['verb', ...Object.keys(parameters).filter((key) => key !== 'verb')]) {
    const value = parameters[name]?.[0];
    if (value !== undefined) {
      echoed[name] = value;
    }
  }
  return echoed;
}
