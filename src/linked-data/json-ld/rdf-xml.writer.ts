import type { Quad } from 'n3';

import { escapeXml } from '../xml/xml-text';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = `${RDF}langString`;

/** An XML name without a colon (Namespaces in XML 1.0, NCName), ASCII letters only for simplicity. */
const NC_NAME_SUFFIX = /[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Raised for a predicate that RDF/XML cannot write: its IRI does not end in an XML name. */
export class RdfXmlError extends Error {
  constructor(predicate: string) {
    super(
      `predicate ${predicate} cannot be written in RDF/XML because its IRI does not end in an XML name: use Turtle or JSON-LD for this document`,
    );
    this.name = 'RdfXmlError';
  }
}

/**
 * Write triples as RDF/XML (RDF 1.1 XML Syntax) in its plain striped form:
 * one `rdf:Description` per subject, `rdf:about` for IRIs and `rdf:nodeID`
 * for blank nodes, one property element per triple. Namespaces come from
 * the given prefixes where the rest of the IRI is an XML name; other
 * predicates get generated prefixes (`ns1`). The graph of the default
 * graph is written; other graphs are ignored.
 */
export function writeRdfXml(
  quads: readonly Quad[],
  prefixes: Readonly<Record<string, string>>,
): string {
  const namespaces = new NamespaceTable(prefixes);
  const bySubject = new Map<string, Quad[]>();
  for (const quad of quads) {
    if (quad.graph.termType !== 'DefaultGraph') {
      continue;
    }
    const key = `${quad.subject.termType}\u0000${quad.subject.value}`;
    const list = bySubject.get(key) ?? [];
    list.push(quad);
    bySubject.set(key, list);
  }

  const descriptions: string[] = [];
  for (const triples of bySubject.values()) {
    descriptions.push(describe(triples, namespaces));
  }
  const declarations = namespaces
    .used()
    .map(([prefix, iri]) => ` xmlns:${prefix}="${escapeXml(iri)}"`)
    .join('');
  return `<rdf:RDF xmlns:rdf="${RDF}"${declarations}>\n${descriptions.join('')}</rdf:RDF>`;
}

const INDENT = '  ';

function describe(triples: Quad[], namespaces: NamespaceTable): string {
  const subject = triples[0].subject;
  const about =
    subject.termType === 'BlankNode'
      ? `rdf:nodeID="${escapeXml(subject.value)}"`
      : `rdf:about="${escapeXml(subject.value)}"`;
  const properties = triples.map(
    (triple) => `${INDENT}${INDENT}${propertyElement(triple, namespaces)}\n`,
  );
  return `${INDENT}<rdf:Description ${about}>\n${properties.join('')}${INDENT}</rdf:Description>\n`;
}

function propertyElement(triple: Quad, namespaces: NamespaceTable): string {
  const name = namespaces.qualifiedName(triple.predicate.value);
  const object = triple.object;
  switch (object.termType) {
    case 'NamedNode':
      return `<${name} rdf:resource="${escapeXml(object.value)}"/>`;
    case 'BlankNode':
      return `<${name} rdf:nodeID="${escapeXml(object.value)}"/>`;
    case 'Literal': {
      let attributes = '';
      if (object.language !== '') {
        attributes = ` xml:lang="${escapeXml(object.language)}"`;
      } else if (
        object.datatype.value !== XSD_STRING &&
        object.datatype.value !== RDF_LANG_STRING
      ) {
        attributes = ` rdf:datatype="${escapeXml(object.datatype.value)}"`;
      }
      return `<${name}${attributes}>${escapeXml(object.value)}</${name}>`;
    }
    case 'Variable':
      throw new Error(`a triple with a variable as object cannot be written as RDF/XML`);
  }
}

/** The namespaces of a document: the given prefixes, then generated ones for the remaining predicates. */
class NamespaceTable {
  private readonly byIri = new Map<string, string>();
  private readonly usedIris = new Set<string>();
  private generated = 0;

  constructor(prefixes: Readonly<Record<string, string>>) {
    for (const [prefix, iri] of Object.entries(prefixes)) {
      if (iri !== RDF && !this.byIri.has(iri)) {
        this.byIri.set(iri, prefix);
      }
    }
    this.byIri.set(RDF, 'rdf');
  }

  /** Return `prefix:localName` for a predicate IRI, declaring its namespace when it is new. */
  qualifiedName(predicate: string): string {
    const match = NC_NAME_SUFFIX.exec(predicate);
    if (match === null || match.index === 0) {
      throw new RdfXmlError(predicate);
    }
    const localName = match[0];
    const namespace = predicate.slice(0, match.index);
    let prefix = this.byIri.get(namespace);
    if (prefix === undefined) {
      this.generated += 1;
      prefix = `ns${this.generated}`;
      this.byIri.set(namespace, prefix);
    }
    if (namespace !== RDF) {
      this.usedIris.add(namespace);
    }
    return `${prefix}:${localName}`;
  }

  /** Namespaces used so far, as `[prefix, IRI]` pairs sorted by prefix. */
  used(): Array<[string, string]> {
    return [...this.usedIris]
      .map((iri): [string, string] => [this.byIri.get(iri) as string, iri])
      .sort((left, right) => comparePrefixes(left[0], right[0]));
  }
}

function comparePrefixes(left: string, right: string): number {
  if (left < right) {
    return -1;
  }
  return left > right ? 1 : 0;
}
