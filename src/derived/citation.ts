import type { Derivation } from './derivation';

/** The publisher and catalog names that citations carry. */
export interface CitationSite {
  publisherName: string;
  catalogTitle: string;
}

/**
 * Cite a derived dataset after the DataCite pattern, extended with what the
 * RDA recommendations on citing dynamic data ask a citation of a query
 * result to carry: the query's identifier, its execution time and the
 * checksum that verifies the result.
 */
export function derivedCitation(
  dataset: { pid: string; title: string; firstHarvestedAt: Date },
  derivation: Derivation,
  site: CitationSite,
): string {
  const year = dataset.firstHarvestedAt.getUTCFullYear();
  const inputs = derivation.inputs.join(', ');
  return (
    `${site.publisherName} (${year}). ${dataset.title} [Data set]. ${site.catalogTitle}. ${dataset.pid}. ` +
    `Derived from ${inputs} by query ${derivation.activity}, executed ${derivation.executedAt}; ` +
    `result SHA-256 ${derivation.resultChecksum}.`
  );
}
