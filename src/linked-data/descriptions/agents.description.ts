import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import type { Concept } from './controlled-vocabularies';
import type { SiteFacts } from './site-facts';

/**
 * Describe the publisher as a foaf:Agent. DCAT-AP 3 requires its foaf:name
 * and recommends a dct:type from the ADMS publisher type vocabulary. The
 * node has an IRI, so the copies in every dataset of a catalog page merge
 * into one agent with one name and one type.
 */
export function publisherNode(site: SiteFacts): JsonLdNode {
  return node({
    '@id': site.publisherId,
    '@type': 'foaf:Agent',
    'foaf:name': site.publisherName,
    'dct:type': site.publisherType === null ? null : conceptNode(site.publisherType),
  });
}

/**
 * Describe the contact point as a vCard (DCAT-AP 3 dcat:contactPoint). It
 * is typed vcard:Kind as well as vcard:Organization because the range
 * shapes check vcard:Kind and validators do not load the vCard ontology
 * that makes one a subclass of the other.
 */
export function contactPointNode(site: SiteFacts): JsonLdNode {
  const contact = site.contactPoint;
  return node({
    '@id': contact.id,
    '@type': ['vcard:Kind', 'vcard:Organization'],
    'vcard:fn': contact.name,
    'vcard:hasEmail': contact.email === null ? null : { '@id': `mailto:${contact.email}` },
    'vcard:hasURL': { '@id': contact.url },
  });
}

/** Describe a concept of a controlled vocabulary with the label DCAT-AP requires of every skos:Concept. */
export function conceptNode(concept: Concept, scheme?: Concept): JsonLdNode {
  return node({
    '@id': concept.iri,
    '@type': 'skos:Concept',
    'skos:prefLabel': { '@value': concept.label, '@language': 'en' },
    'skos:inScheme': scheme === undefined ? null : { '@id': scheme.iri },
  });
}

/** Describe a concept scheme with the title DCAT-AP requires. */
export function conceptSchemeNode(scheme: Concept): JsonLdNode {
  return {
    '@id': scheme.iri,
    '@type': 'skos:ConceptScheme',
    'dct:title': { '@value': scheme.label, '@language': 'en' },
  };
}
