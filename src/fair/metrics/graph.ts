import type { Quad } from 'n3';

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
export const DCAT = 'http://www.w3.org/ns/dcat#';
export const DCT = 'http://purl.org/dc/terms/';
export const PROV = 'http://www.w3.org/ns/prov#';
export const SOSA = 'http://www.w3.org/ns/sosa/';
export const QUDT = 'http://qudt.org/schema/qudt/';
export const WEFT = 'https://w3id.org/weft/ns#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** Return the objects of a subject's triples with a predicate. */
export function objectsOf(
  quads: readonly Quad[],
  subject: string,
  predicate: string,
): Quad['object'][] {
  return quads
    .filter((quad) => quad.subject.value === subject && quad.predicate.value === predicate)
    .map((quad) => quad.object);
}

/** Return the values of a subject's objects with a predicate. */
export function valuesOf(quads: readonly Quad[], subject: string, predicate: string): string[] {
  return objectsOf(quads, subject, predicate).map((object) => object.value);
}

/** Say whether a node is stated to have a type. */
export function hasType(quads: readonly Quad[], node: string, type: string): boolean {
  return valuesOf(quads, node, RDF_TYPE).includes(type);
}

/** Return the nodes stated to have a type. */
export function nodesOfType(quads: readonly Quad[], type: string): string[] {
  return quads
    .filter((quad) => quad.predicate.value === RDF_TYPE && quad.object.value === type)
    .map((quad) => quad.subject.value);
}

/** Return the namespace of an IRI: everything up to its last `#` or `/`. */
export function namespaceOf(iri: string): string {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return cut < 0 ? iri : iri.slice(0, cut + 1);
}

/** Return the URI scheme of an IRI in lower case, or null for text without one. */
export function schemeOf(iri: string): string | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(iri);
  return match === null ? null : match[1].toLowerCase();
}
