import { escapeXml, XML_DECLARATION } from '../xml/xml-text';
import type { OaiPmhError } from './oai-pmh.error';
import type { OaiRecordRow } from './oai-records.repository';

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A metadata format the repository disseminates. */
export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
}

/**
 * The formats every record is offered in: Dublin Core, which OAI-PMH
 * requires, and DCAT as RDF/XML, the same description as `/id/{id}`.
 * RDF/XML has no XML Schema, so `dcat` names the W3C RDF/XML grammar.
 */
export const METADATA_FORMATS: readonly MetadataFormat[] = [
  {
    prefix: 'oai_dc',
    schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
    namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
  },
  {
    prefix: 'dcat',
    schema: 'https://www.w3.org/TR/rdf-syntax-grammar/',
    namespace: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  },
];

/** Format a datestamp at the repository's granularity, seconds in UTC. */
export function utcDatestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Wrap a response body in the OAI-PMH envelope (section 3.2): the response
 * date, the request element with its arguments as attributes, and the
 * body. `request` is null after badVerb and badArgument, whose responses
 * carry the base URL only.
 */
export function oaiResponse(
  baseUrl: string,
  request: Record<string, string> | null,
  body: string,
  now: Date,
): string {
  const attributes = Object.entries(request ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  return (
    XML_DECLARATION +
    `<OAI-PMH xmlns="${OAI}" xmlns:xsi="${XSI}" xsi:schemaLocation="${OAI} ${OAI}OAI-PMH.xsd">\n` +
    `<responseDate>${utcDatestamp(now)}</responseDate>\n` +
    `<request${attributes}>${escapeXml(baseUrl)}</request>\n` +
    `${body}\n` +
    '</OAI-PMH>\n'
  );
}

export function errorElement(error: OaiPmhError): string {
  return `<error code="${error.code}">${escapeXml(error.message)}</error>`;
}

/** Write a record header; deleted records are marked with status="deleted" (section 2.5.1). */
export function headerElement(row: OaiRecordRow): string {
  const status = row.deleted ? ' status="deleted"' : '';
  return (
    `<header${status}><identifier>${escapeXml(row.pid)}</identifier>` +
    `<datestamp>${utcDatestamp(row.datestamp)}</datestamp>` +
    `<setSpec>${escapeXml(setSpecOf(row.sourceKey))}</setSpec></header>`
  );
}

/** Return the setSpec of a source's set. */
export function setSpecOf(sourceKey: string): string {
  return `source:${sourceKey}`;
}

/** Return the source key a setSpec names, or null when it names no source set. */
export function sourceKeyOf(setSpec: string): string | null {
  return setSpec.startsWith('source:') && setSpec.length > 'source:'.length
    ? setSpec.slice('source:'.length)
    : null;
}

/** Write a resumptionToken element (section 3.5); an empty token ends the list. */
export function resumptionTokenElement(
  token: string | null,
  completeListSize: number,
  cursor: number,
): string {
  const attributes = ` completeListSize="${completeListSize}" cursor="${cursor}"`;
  return token === null
    ? `<resumptionToken${attributes}/>`
    : `<resumptionToken${attributes}>${escapeXml(token)}</resumptionToken>`;
}
