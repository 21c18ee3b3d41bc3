import type { JsonLdNode } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import type { DatasetRecord } from './dataset-record';
import { dateTime, licenceIri } from './rdf-terms';
import type { SiteFacts } from './site-facts';

const QUANTITY_KINDS = 'http://qudt.org/vocab/quantitykind/';

/**
 * Describe a dataset as the schema.org Dataset embedded in its landing
 * page, the form that search engines and FAIR assessment tools read. It names the schema.org context by
 * URL: Weft itself never processes this document, so nothing is fetched.
 */
export function describeForSchemaOrg(record: DatasetRecord, site: SiteFacts): JsonLdNode {
  const { dataset } = record;
  const publisher = { '@type': 'Organization', name: site.publisherName };
  return node({
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': dataset.pid,
    name: dataset.title,
    description:
      dataset.description ??
      `${dataset.title}: data harvested by Weft from ${record.source?.title ?? 'a site system'}.`,
    identifier: dataset.pid,
    url: site.landingPageOf(dataset.pid),
    keywords: dataset.keywords,
    license: record.licence === null ? null : licenceIri(record.licence),
    creator: publisher,
    publisher,
    datePublished: dateTime(dataset.firstHarvestedAt),
    dateModified: dateTime(dataset.modifiedAt),
    temporalCoverage: temporalCoverage(dataset.temporalStart, dataset.temporalEnd),
    spatialCoverage: dataset.place === null ? null : { '@type': 'Place', name: dataset.place },
    variableMeasured: record.properties.map((property) =>
      node({
        '@type': 'PropertyValue',
        name: property.label ?? property.name,
        description: property.description,
        // NOTE: schema.org suggests UN/CEFACT common codes for unitCode; Weft gives the UCUM code, its unit of record.
        unitCode: property.unit,
        unitText: property.unitSourceText,
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
