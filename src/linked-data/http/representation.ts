import type { Request } from 'express';

import type { LinkContext, TypedLink } from '../signposting/typed-link';

import type { JsonLdNode } from '../json-ld/json-ld.types';
import { LinkedDataError } from './linked-data.error';
import { negotiate } from './media-type-negotiation';

/** The forms a resource can be sent in. */
export type Variant = 'html' | 'jsonld' | 'json' | 'turtle' | 'ntriples';

/** Media type of each variant, as matched against Accept. */
export const MEDIA_TYPES: Record<Variant, string> = {
  html: 'text/html',
  jsonld: 'application/ld+json',
  json: 'application/json',
  turtle: 'text/turtle',
  ntriples: 'application/n-triples',
};

/** Content-Type of each variant. Turtle and HTML name their charset; the JSON and N-Triples types are UTF-8 by definition. */
export const CONTENT_TYPES: Record<Variant, string> = {
  html: 'text/html; charset=utf-8',
  jsonld: 'application/ld+json',
  json: 'application/json',
  turtle: 'text/turtle; charset=utf-8',
  ntriples: 'application/n-triples',
};

/** Values of the `format` query parameter, which overrides Accept (for links and browsers). */
export const FORMAT_PARAMETERS: Record<string, Variant> = {
  html: 'html',
  jsonld: 'jsonld',
  ttl: 'turtle',
  nt: 'ntriples',
};

/** A resource ready to be sent in any variant. */
export interface Representation {
  /** 200 for a live resource, 410 for the tombstone of a withdrawn one. */
  status: 200 | 410;
  /** The JSON-LD document, the source of the JSON-LD, Turtle and N-Triples variants. */
  document: JsonLdNode;
  /** Renders the HTML page; null when the resource has no page. */
  renderHtml: (() => Promise<string>) | null;
  /** When the resource last changed, for Last-Modified; null when unknown. */
  lastModified: Date | null;
  /** `public` when shared caches may keep the response; `private` for datasets that need sign-in. */
  cacheScope: 'public' | 'private';
  /** Links for the `Link` header: paging links of the catalog, Signposting links of identifiers. */
  links: TypedLink[];
  /** The resource's full Signposting link set (RFC 9264), served at `<resolver URL>/linkset`; null when it has none. */
  linkset: LinkContext[] | null;
}

/**
 * Choose the variant to send: the `format` query parameter when given,
 * else the client's Accept header among the offered variants (in the
 * server's order of preference for ties and for `*\/*`).
 */
export function chooseVariant(request: Request, offered: readonly Variant[]): Variant {
  const format = request.query.format;
  if (format !== undefined) {
    const formats = Object.keys(FORMAT_PARAMETERS).filter((key) =>
      offered.includes(FORMAT_PARAMETERS[key]),
    );
    const variant = typeof format === 'string' ? FORMAT_PARAMETERS[format] : undefined;
    if (variant === undefined || !offered.includes(variant)) {
      throw new LinkedDataError(
        'INVALID_PARAMETER',
        `format=${typeof format === 'string' ? format : JSON.stringify(format)} is not offered here: use one of ${formats.map((key) => `format=${key}`).join(', ')}, or leave it out and send an Accept header`,
      );
    }
    return variant;
  }

  const mediaTypes = offered.map((variant) => MEDIA_TYPES[variant]);
  const chosen = negotiate(request.headers.accept, mediaTypes);
  const variant = offered.find((candidate) => MEDIA_TYPES[candidate] === chosen);
  if (variant === undefined) {
    throw new LinkedDataError(
      'NOT_ACCEPTABLE',
      `none of the media types in Accept "${request.headers.accept ?? ''}" is offered: this resource is available as ${mediaTypes.join(', ')}`,
    );
  }
  return variant;
}
