import type { LicenceEntity } from '../../licences/licence.entity';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';

/** IANA's page for each registered media type, the IRI DCAT 3 uses for dcat:mediaType. */
const IANA_MEDIA_TYPES = 'https://www.iana.org/assignments/media-types/';

/** The ADMS status of a withdrawn resource (ADMS status vocabulary). */
export const ADMS_WITHDRAWN = 'http://purl.org/adms/status/Withdrawn';

/** Characters RFC 3987 allows nowhere in an IRI, besides controls and the space. */
const NOT_IN_IRIS = '<>"{}|\\^`';

/**
 * Turn a URL a harvester recorded into an absolute IRI. The characters RFC
 * 3987 forbids in IRIs (controls, the space, `<>"{}|\^\``, a `%` that
 * starts no escape) are percent-encoded, so an MQTT topic with a space still
 * yields a valid IRI. Returns undefined for text without a scheme, which
 * jsonld.js would drop.
 */
export function toIri(text: string | null | undefined): string | undefined {
  if (text === null || text === undefined || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) {
    return undefined;
  }
  let iri = '';
  for (let index = 0; index < text.length; index++) {
    const character = text.charAt(index);
    const code = text.charCodeAt(index);
    const strayPercent =
      character === '%' && !/^[0-9A-Fa-f]{2}$/.test(text.slice(index + 1, index + 3));
    iri +=
      code <= 0x20 || code === 0x7f || NOT_IN_IRIS.includes(character) || strayPercent
        ? percentEncode(character)
        : character;
  }
  return iri;
}

function percentEncode(character: string): string {
  return [...Buffer.from(character, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

/** Return a media type without its parameters, in lower case (`application/json`), or undefined when it is malformed. */
export function mediaTypeEssence(mediaType: string | null): string | undefined {
  const essence = mediaType?.split(';')[0]?.trim().toLowerCase();
  if (
    essence === undefined ||
    !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(essence)
  ) {
    return undefined;
  }
  return essence;
}

/** Return the IANA IRI of a media type (`application/json`) without its parameters, or undefined when it is malformed. */
export function mediaTypeIri(mediaType: string | null): string | undefined {
  const essence = mediaTypeEssence(mediaType);
  return essence === undefined ? undefined : `${IANA_MEDIA_TYPES}${essence}`;
}

/** Return the QUDT quantity kind IRI (`quantitykind:Temperature`) of a local name, or undefined when there is none. */
export function quantityKindIri(name: string | null): string | undefined {
  if (name === null || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    return undefined;
  }
  return `quantitykind:${name}`;
}

/** Return the IRI of a licence: its canonical URL, else its SPDX page for SPDX licences. */
export function licenceIri(licence: LicenceEntity): string | undefined {
  if (licence.url !== null) {
    return toIri(licence.url);
  }
  return licence.isCustom
    ? undefined
    : `https://spdx.org/licenses/${encodeURIComponent(licence.id)}`;
}

/**
 * Describe a licence as a dct:LicenseDocument. A custom licence without a URL
 * becomes a blank node that carries its name and SPDX `LicenseRef-` id.
 */
export function licenceNode(licence: LicenceEntity): JsonLdNode {
  return node({
    '@id': licenceIri(licence),
    '@type': 'dct:LicenseDocument',
    'rdfs:label': licence.name,
    'dct:identifier': licence.id,
  });
}

/**
 * Refer to a URL typed rdfs:Resource. Every IRI denotes one, but the
 * single-file DCAT-AP 3 shapes (dcat-ap-SHACL.ttl) check dcat:accessURL and
 * dcat:endpointURL with sh:class rdfs:Resource, and validators do not infer
 * the type, so Weft states it.
 */
export function resourceNode(iri: string): JsonLdNode {
  return { '@id': iri, '@type': 'rdfs:Resource' };
}

/** Describe a place named in words as a dct:Location. */
export function locationNode(place: string): JsonLdNode {
  return { '@type': 'dct:Location', 'rdfs:label': place };
}

/** Format a date as an xsd:dateTime lexical form, or return undefined for a missing date. */
export function dateTime(date: Date | null | undefined): string | undefined {
  return date === null || date === undefined ? undefined : date.toISOString();
}
