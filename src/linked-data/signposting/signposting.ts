import type { LinkContext, TypedLink } from './typed-link';

/** schema.org types that FAIR Signposting puts in `type` links of a dataset's landing page. */
export const SCHEMA_DATASET = 'https://schema.org/Dataset';
export const SCHEMA_ABOUT_PAGE = 'https://schema.org/AboutPage';

/** Media types of the two link set formats (RFC 9264, section 4). */
export const LINKSET_MEDIA_TYPE = 'application/linkset';
export const LINKSET_JSON_MEDIA_TYPE = 'application/linkset+json';

/**
 * Item links a `Link` header carries at most; a dataset with more
 * distributions lists them all in its link set only, as FAIR Signposting
 * advises for long lists, so headers stay small.
 */
export const MAX_ITEMS_IN_HEADER = 10;

/** What the Signposting links of one resolvable resource say. */
export interface SignpostFacts {
  /** The resolver URL, which serves the landing page and the metadata by content negotiation. */
  landingPage: string;
  /** The persistent identifier to cite. */
  pid: string;
  /** `type` links: the resource's schema.org types. */
  types: string[];
  /** `license` link, when the resource has a licence with an IRI. */
  licence: string | null;
  /** `item` links: where the data can be had, with media types. */
  items: TypedLink[];
  /** `author` links: IRIs of who made the resource. */
  authors: string[];
  /** `collection` link: the resource this one is part of (a distribution's dataset). */
  collection: string | null;
}

/** The Signposting of a resource: the links for its `Link` header and its full link set. */
export interface Signposting {
  header: TypedLink[];
  linkset: LinkContext[];
}

/**
 * Build the FAIR Signposting links of a resource (https://signposting.org/FAIR/).
 * Level 1 goes into the `Link` header of the landing page: cite-as,
 * describedby (JSON-LD and Turtle), type, license, item, author, and
 * linkset links to the link set. Level 2 is the link set: the same links
 * anchored at the landing page, plus `describes` from each metadata
 * document and `collection` from each item back to the landing page.
 */
export function buildSignposting(facts: SignpostFacts): Signposting {
  const metadata = describedByLinks(facts.landingPage);
  const landingLinks: TypedLink[] = [
    { href: facts.pid, rel: 'cite-as' },
    ...metadata,
    ...facts.types.map((type) => ({ href: type, rel: 'type' })),
    ...(facts.licence === null ? [] : [{ href: facts.licence, rel: 'license' }]),
    ...facts.items,
    ...facts.authors.map((author) => ({ href: author, rel: 'author' })),
    ...(facts.collection === null ? [] : [{ href: facts.collection, rel: 'collection' }]),
  ];

  const header = [
    ...landingLinks.filter((link) => link.rel !== 'item'),
    ...facts.items.slice(0, MAX_ITEMS_IN_HEADER),
    ...linksetLinks(facts.landingPage),
  ];
  const linkset: LinkContext[] = [
    { anchor: facts.landingPage, links: landingLinks },
    ...metadata.map((link) => ({
      anchor: link.href,
      links: [{ href: facts.landingPage, rel: 'describes' }],
    })),
    ...facts.items.map((item) => ({
      anchor: item.href,
      links: [{ href: facts.landingPage, rel: 'collection' }],
    })),
  ];
  return { header, linkset };
}

/** Return the URL of the link set of a resolver URL. */
export function linksetUrl(landingPage: string): string {
  return `${landingPage}/linkset`;
}

function describedByLinks(landingPage: string): TypedLink[] {
  return [
    { href: `${landingPage}?format=jsonld`, rel: 'describedby', type: 'application/ld+json' },
    { href: `${landingPage}?format=ttl`, rel: 'describedby', type: 'text/turtle' },
  ];
}

function linksetLinks(landingPage: string): TypedLink[] {
  const url = linksetUrl(landingPage);
  return [
    { href: url, rel: 'linkset', type: LINKSET_MEDIA_TYPE },
    { href: url, rel: 'linkset', type: LINKSET_JSON_MEDIA_TYPE },
  ];
}
