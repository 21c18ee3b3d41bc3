import { isEmbargoed } from '../../auth/dataset-access';
import { accessPolicyText } from '../descriptions/access-policy.text';
import { ACCESS_RIGHTS } from '../descriptions/controlled-vocabularies';
import type { DatasetRecord } from '../descriptions/dataset-record';
import { datasetDescriptionText } from '../descriptions/dataset.description';
import { licenceIri } from '../descriptions/rdf-terms';
import type { SiteFacts } from '../descriptions/site-facts';
import { escapeXml } from '../xml/xml-text';

const OAI_DC = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
const DC = 'http://purl.org/dc/elements/1.1/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Write a dataset as unqualified Dublin Core in the oai_dc container, which
 * OAI-PMH 2.0 requires every repository to offer (section 3.4). The
 * publisher is creator and publisher, keywords and themes are subjects,
 * place and time span are coverage, and licence and access rights are
 * rights, besides title, description, issue date, type, formats,
 * identifier, source system and language.
 */
export function oaiDcRecord(record: DatasetRecord, site: SiteFacts): string {
  const { dataset } = record;
  const elements: Array<[string, string | null]> = [
    ['title', dataset.title],
    ['creator', site.publisherName],
    ...dataset.keywords.map((keyword): [string, string] => ['subject', keyword]),
    ...site.themes.map((theme): [string, string] => ['subject', theme.label]),
    ['description', datasetDescriptionText(record)],
    ['publisher', site.publisherName],
    ['date', dataset.firstHarvestedAt.toISOString().slice(0, 10)],
    ['type', 'Dataset'],
    ...uniqueFormats(record).map((format): [string, string] => ['format', format]),
    ['identifier', dataset.pid],
    ['source', record.source?.pid ?? null],
    ['language', site.language.replace(/^.*\//, '').toLowerCase()],
    ['coverage', dataset.place],
    ['coverage', timeSpan(dataset.temporalStart, dataset.temporalEnd)],
    [
      'rights',
      record.licence === null ? null : (licenceIri(record.licence) ?? record.licence.name),
    ],
    ['rights', `Access: ${ACCESS_RIGHTS[dataset.accessLevel].label}`],
    ['rights', isEmbargoed(dataset) ? `Access policy: ${accessPolicyText(dataset)}` : null],
  ];
  const lines = elements
    .filter((element): element is [string, string] => element[1] !== null)
    .map(([name, value]) => `<dc:${name}>${escapeXml(value)}</dc:${name}>`);
  return (
    `<oai_dc:dc xmlns:oai_dc="${OAI_DC}" xmlns:dc="${DC}" xmlns:xsi="${XSI}" ` +
    `xsi:schemaLocation="${OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">` +
    lines.join('') +
    '</oai_dc:dc>'
  );
}

function uniqueFormats(record: DatasetRecord): string[] {
  const formats = record.distributions
    .map((distribution) => distribution.mediaType ?? distribution.format)
    .filter((format): format is string => format !== null);
  return [...new Set(formats)];
}

/** Write a time span as a W3C-DTF interval (`start/end`), with `..` for an open end. */
function timeSpan(start: Date | null, end: Date | null): string | null {
  if (start === null && end === null) {
    return null;
  }
  return `${start?.toISOString() ?? '..'}/${end?.toISOString() ?? '..'}`;
}
