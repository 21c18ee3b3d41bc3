/** Facts about the site that every description needs: where things live and who publishes them. */
export interface SiteFacts {
  /** URL of the bundled Weft JSON-LD context, the `@context` of every document. */
  contextUrl: string;
  /** Public base URL of the service, without a trailing slash. */
  baseUrl: string;
  /** IRI of the dcat:Catalog, which is also the URL of the DCAT endpoint. */
  catalogUrl: string;
  catalogTitle: string;
  publisherName: string;
  /** IRI of the publisher's foaf:Agent node. */
  publisherId: string;
  /** The landing page (resolver URL) of a persistent identifier. */
  landingPageOf(pid: string): string;
}
