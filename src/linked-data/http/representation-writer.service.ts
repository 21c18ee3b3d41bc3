import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';

import { RdfSerializer } from '../json-ld/rdf-serializer.service';
import { LINKSET_JSON_MEDIA_TYPE, LINKSET_MEDIA_TYPE } from '../signposting/signposting';
import { linkHeaderValue, linksetJson, linksetText } from '../signposting/typed-link';
import { entityTag, isNotModified } from './conditional-request';
import type { Representation, Variant } from './representation';
import { CONTENT_TYPES } from './representation';

/**
 * Sends a representation in the chosen variant with the headers caches and
 * harvesters rely on: Vary (the body depends on Accept), a strong ETag per
 * variant, Last-Modified, Cache-Control, and 304 Not Modified for
 * conditional requests that match.
 */
@Injectable()
export class RepresentationWriter {
  constructor(private readonly serializer: RdfSerializer) {}

  async write(
    request: Request,
    response: Response,
    representation: Representation,
    variant: Variant,
  ): Promise<void> {
    const body = Buffer.from(await this.body(representation, variant), 'utf8');
    const contentType = CONTENT_TYPES[variant];
    const etag = entityTag(body, contentType);

    response.setHeader('Vary', 'Accept');
    response.setHeader('ETag', etag);
    if (representation.lastModified !== null) {
      response.setHeader('Last-Modified', representation.lastModified.toUTCString());
    }
    // no-cache: caches may store the response but must revalidate it, which the ETag makes cheap.
    response.setHeader('Cache-Control', `${representation.cacheScope}, no-cache`);
    response.setHeader('Access-Control-Allow-Origin', '*');
    // Browser-based FAIR tools read Signposting links across origins.
    response.setHeader('Access-Control-Expose-Headers', 'Link');
    if (representation.links.length > 0) {
      response.setHeader('Link', linkHeaderValue(representation.links));
    }

    if (
      representation.status === 200 &&
      isNotModified(request.headers, etag, representation.lastModified)
    ) {
      response.status(304).end();
      return;
    }

    response.status(representation.status);
    response.setHeader('Content-Type', contentType);
    response.setHeader('Content-Length', body.length);
    response.end(body);
  }

  /**
   * Send the Signposting link set of a representation in one of the RFC
   * 9264 formats, with the same caching rules as the resource.
   */
  async writeLinkset(
    request: Request,
    response: Response,
    representation: Representation,
    mediaType: typeof LINKSET_MEDIA_TYPE | typeof LINKSET_JSON_MEDIA_TYPE,
  ): Promise<void> {
    const contexts = representation.linkset ?? [];
    const text =
      mediaType === LINKSET_MEDIA_TYPE
        ? linksetText(contexts)
        : `${JSON.stringify(linksetJson(contexts), null, 2)}\n`;
    const body = Buffer.from(text, 'utf8');
    const etag = entityTag(body, mediaType);

    response.setHeader('Vary', 'Accept');
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', `${representation.cacheScope}, no-cache`);
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (isNotModified(request.headers, etag, null)) {
      response.status(304).end();
      return;
    }
    response.status(200);
    response.setHeader('Content-Type', mediaType);
    response.setHeader('Content-Length', body.length);
    response.end(body);
  }

  private async body(representation: Representation, variant: Variant): Promise<string> {
    switch (variant) {
      case 'html':
        if (representation.renderHtml === null) {
          throw new Error(
            'an HTML variant was chosen for a resource without a page; offer html only where a page exists',
          );
        }
        return representation.renderHtml();
      case 'jsonld':
      case 'json':
        return `${JSON.stringify(representation.document, null, 2)}\n`;
      case 'turtle':
        return this.serializer.serialize(representation.document, 'turtle');
      case 'ntriples':
        return this.serializer.serialize(representation.document, 'n-triples');
    }
  }
}
