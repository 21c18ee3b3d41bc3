import type { Concept } from './controlled-vocabularies';

/** The contact point every dataset and data service names (a vCard). */
export interface ContactPointFacts {
  /** IRI of the vcard:Kind node. */
  id: string;
  name: string;
  /** E-mail address without `mailto:`, or null. */
  email: string | null;
  /** Web page to contact the publisher at. */
  url: string;
}

/** Facts about the site that every description needs: where things live and who publishes them. */
export interface SiteFacts {
  /** URL of the bundled Weft JSON-LD context, the `@context` of every document. */
  contextUrl: string;
  /** Public base URL of the service, without a trailing slash. */
  baseUrl: string;
  /** IRI of the dcat:Catalog, which is also the URL of the DCAT endpoint. */
  catalogUrl: string;
  catalogTitle: string;
  catalogDescription: string;
  publisherName: string;
  /** IRI of the publisher's foaf:Agent node. */
  publisherId: string;
  /** ADMS publisher type of the publisher, or null when the site did not set one. */
  publisherType: Concept | null;
  contactPoint: ContactPointFacts;
  /** IRI of the metadata's language in the EU language table. */
  language: string;
  /** EU data themes every dataset gets. */
  themes: Concept[];
  /** The landing page (resolver URL) of a persistent identifier. */
  landingPageOf(pid: string): string;
}
