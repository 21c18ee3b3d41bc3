/**
 * The controlled vocabularies DCAT-AP 3 recommends for catalog metadata,
 * with the English labels the EU Publications Office and ADMS publish for
 * them. DCAT-AP's range shapes require every skos:Concept to carry a
 * skos:prefLabel, so each concept Weft writes carries its label here
 * instead of relying on a harvester to fetch the vocabulary.
 */

/** A concept of a controlled vocabulary: its IRI and English label. */
export interface Concept {
  iri: string;
  label: string;
}

const DATA_THEMES_BASE = 'http://publications.europa.eu/resource/authority/data-theme/';
const ACCESS_RIGHTS_BASE = 'http://publications.europa.eu/resource/authority/access-right/';
const FILE_TYPES_BASE = 'http://publications.europa.eu/resource/authority/file-type/';
const LANGUAGES_BASE = 'http://publications.europa.eu/resource/authority/language/';
const PUBLISHER_TYPES_BASE = 'http://purl.org/adms/publishertype/';

/** The EU data theme vocabulary (dcat:themeTaxonomy of the catalog). */
export const DATA_THEME_SCHEME: Concept = {
  iri: 'http://publications.europa.eu/resource/authority/data-theme',
  label: 'Data theme',
};

/** Codes of the EU data theme vocabulary, for dcat:theme. */
export const DATA_THEMES: Readonly<Record<string, string>> = {
  AGRI: 'Agriculture, fisheries, forestry and food',
  ECON: 'Economy and finance',
  EDUC: 'Education, culture and sport',
  ENER: 'Energy',
  ENVI: 'Environment',
  GOVE: 'Government and public sector',
  HEAL: 'Health',
  INTR: 'International issues',
  JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
  TECH: 'Science and technology',
  TRAN: 'Transport',
};

/** Codes of the ADMS publisher type vocabulary, for the dct:type of the publisher. */
export const PUBLISHER_TYPES: Readonly<Record<string, string>> = {
  'Academia-ScientificOrganisation': 'Academia/Scientific organisation',
  Company: 'Company',
  IndustryConsortium: 'Industry consortium',
  LocalAuthority: 'Local authority',
  NationalAuthority: 'National authority',
  NonGovernmentalOrganisation: 'Non-governmental organisation',
  NonProfitOrganisation: 'Non-profit organisation',
  PrivateIndividual: 'Private individual(s)',
  RegionalAuthority: 'Regional authority',
  StandardisationBody: 'Standardisation body',
  SupraNationalAuthority: 'Supra-national authority',
};

/** EU access right for each Weft access level: public data, data for signed-in researchers, data for stewards only. */
export const ACCESS_RIGHTS: Readonly<Record<'public' | 'site' | 'restricted', Concept>> = {
  public: { iri: `${ACCESS_RIGHTS_BASE}PUBLIC`, label: 'public' },
  site: { iri: `${ACCESS_RIGHTS_BASE}RESTRICTED`, label: 'restricted' },
  restricted: { iri: `${ACCESS_RIGHTS_BASE}NON_PUBLIC`, label: 'non-public' },
};

/** EU file types for the media types harvesters report, for dct:format. */
const FILE_TYPES: Readonly<Record<string, Concept>> = {
  'application/json': { iri: `${FILE_TYPES_BASE}JSON`, label: 'JSON' },
  'text/csv': { iri: `${FILE_TYPES_BASE}CSV`, label: 'CSV' },
  // InfluxDB 2 labels its annotated CSV with this unregistered type.
  'application/csv': { iri: `${FILE_TYPES_BASE}CSV`, label: 'CSV' },
  'application/xml': { iri: `${FILE_TYPES_BASE}XML`, label: 'XML' },
  'text/xml': { iri: `${FILE_TYPES_BASE}XML`, label: 'XML' },
  'text/plain': { iri: `${FILE_TYPES_BASE}TXT`, label: 'TXT' },
  'application/octet-stream': { iri: `${FILE_TYPES_BASE}BIN`, label: 'Binary Data' },
};

export function dataThemeConcept(code: string): Concept {
  return { iri: `${DATA_THEMES_BASE}${code}`, label: DATA_THEMES[code] ?? code };
}

export function publisherTypeConcept(code: string): Concept {
  return { iri: `${PUBLISHER_TYPES_BASE}${code}`, label: PUBLISHER_TYPES[code] ?? code };
}

/** Return the IRI of a language in the EU language authority table (`ENG`). */
export function languageIri(code: string): string {
  return `${LANGUAGES_BASE}${code}`;
}

/** Return the EU file type of a media type (parameters ignored), or undefined when the table has none. */
export function fileTypeOf(mediaType: string | null): Concept | undefined {
  const essence = mediaType?.split(';')[0]?.trim().toLowerCase();
  return essence === undefined ? undefined : FILE_TYPES[essence];
}
