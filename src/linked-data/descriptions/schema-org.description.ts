import { isEmbargoed } from '../../auth/dataset-access';
import { derivedCitation } from '../../derived/citation';
import { derivationOf } from '../../derived/derivation';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import type { DatasetRecord } from './dataset-record';
import { datasetDescriptionText } from './dataset.description';
import { qudtUnitIri } from './qudt-units';
import { dateTime, licenceIri } from './rdf-terms';
import type { SiteFacts } from './site-facts';

const QUANTITY_KINDS = 'http://qudt.org/vocab/quantitykind/';

/** Who may read the data, in words, for schema.org conditionsOfAccess. */
const CONDITIONS_OF_ACCESS = {
  public: 'Open to everyone.',
  site: 'Signed-in researchers, stewards and administrators of the site.',
  restricted: 'Stewards and administrators of the site only.',
} as const;

/**
 * Describe a dataset as the schema.org Dataset embedded in its landing
 * page, the form that search engines and FAIR assessment tools read. It names the schema.org context by
 * URL: Weft itself never processes this document, so nothing is fetched.
 */
/** The citation of a derived dataset, with its query and checksum; null for harvested datasets. */
function citationOf(record: DatasetRecord, site: SiteFacts): string | null {
  const derivation = derivationOf(record.dataset.details);
  return derivation === undefined ? null : derivedCitation(record.dataset, derivation, site);
}

export function describeForSchemaOrg(record: DatasetRecord, site: SiteFacts): JsonLdNode {
  const { dataset } = record;
  const publisher = { '@type': 'Organization', '@id': site.publisherId, name: site.publisherName };
  return node({
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': dataset.pid,
    name: dataset.title,
    description: datasetDescriptionText(record),
    identifier: dataset.pid,
    url: site.landingPageOf(dataset.pid),
    keywords: dataset.keywords,
    license: record.licence === null ? null : licenceIri(record.licence),
    isBasedOn: derivationOf(dataset.details)?.inputs,
    citation: citationOf(record, site),
    creator: publisher,
    publisher,
    isAccessibleForFree: dataset.accessLevel === 'public',
    conditionsOfAccess: conditionsOfAccess(dataset),
    datePublished: dateTime(dataset.firstHarvestedAt),
    dateModified: dateTime(dataset.modifiedAt),
    temporalCoverage: temporalCoverage(dataset.temporalStart, dataset.temporalEnd),
    spatialCoverage: dataset.place === null ? null : { '@type': 'Place', name: dataset.place },
    variableMeasured: record.properties.map((property) =>
      node({
        '@type': 'PropertyValue',
        name: property.label ?? property.name,
        description: property.description,
        // schema.org takes a UN/CEFACT code or a URL as unitCode: the QUDT unit IRI where the UCUM code maps to one.
        unitCode: qudtUnitIri(property.unit) ?? property.unit,
        unitText: property.unitSourceText ?? property.unit,
        propertyID:
          property.quantityKind === null ? null : `${QUANTITY_KINDS}${property.quantityKind}`,
        minValue: finite(property.minimum),
        maxValue: finite(property.maximum),
      }),
    ),
    distribution: record.distributions.map((distribution) =>
      node({
        '@type': 'DataDownload',
        name: distribution.title,
        contentUrl: distribution.accessUrl,
        encodingFormat: distribution.mediaType ?? distribution.format,
      }),
    ),
    includedInDataCatalog: {
      '@type': 'DataCatalog',
      name: site.catalogTitle,
      url: site.catalogUrl,
    },
  });
}

/** Format an ISO 8601 interval (`start/end`), with `..` for an open end. */
function temporalCoverage(start: Date | null, end: Date | null): string | null {
  if (start === null && end === null) {
    return null;
  }
  return `${start?.toISOString() ?? '..'}/${end?.toISOString() ?? '..'}`;
}

function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** Say who may read the dataset, and until when a running embargo holds back its data. */
function conditionsOfAccess(dataset: DatasetRecord['dataset']): string {
  const readers =
    dataset.accessLevel === 'restricted' && dataset.accessRoles.length > 0
      ? `Stewards and administrators of the site, and holders of the realm role ${dataset.accessRoles.join(' or ')}.`
      : CONDITIONS_OF_ACCESS[dataset.accessLevel];
  if (!isEmbargoed(dataset) || dataset.embargoUntil === null) {
    return readers;
  }
  return `${readers} Data under embargo until ${dataset.embargoUntil.toISOString()}.`;
}
