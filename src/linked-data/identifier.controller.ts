import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';

import { AuthService } from '../auth/auth.service';
import { IdentifiersService, isWellFormedLocalId } from '../identifiers/identifiers.service';
import { BETANUMERIC, ncdaCheckCharacter } from '../identifiers/noid-check';
import { LinkedDataExceptionFilter } from './http/linked-data-exception.filter';
import { LinkedDataError } from './http/linked-data.error';
import type { Variant } from './http/representation';
import { chooseVariant } from './http/representation';
import { RepresentationWriter } from './http/representation-writer.service';
import { viewerAccessOf } from './http/viewer-access';
import { negotiate } from './http/media-type-negotiation';
import { IdentifierResolutionService } from './identifier-resolution.service';
import { LINKSET_JSON_MEDIA_TYPE, LINKSET_MEDIA_TYPE } from './signposting/signposting';

/** People get the landing page unless they ask otherwise; machines name an RDF type in Accept. */
const IDENTIFIER_VARIANTS: readonly Variant[] = ['html', 'jsonld', 'json', 'turtle', 'ntriples'];

/** Link set formats (RFC 9264): JSON first, the form most FAIR tools read. */
const LINKSET_MEDIA_TYPES = [LINKSET_JSON_MEDIA_TYPE, LINKSET_MEDIA_TYPE] as const;

/**
 * `GET /id/:localId`: the resolver of persistent identifiers, with content
 * negotiation between the landing page, JSON-LD, Turtle and N-Triples.
 */
@Controller('id')
@UseFilters(LinkedDataExceptionFilter)
export class IdentifierController {
  constructor(
    private readonly identifiers: IdentifiersService,
    private readonly resolution: IdentifierResolutionService,
    private readonly writer: RepresentationWriter,
    private readonly auth: AuthService,
  ) {}

  /**
   * `GET /id/:localId/linkset`: the resource's FAIR Signposting link set
   * (RFC 9264) as `application/linkset` or `application/linkset+json`,
   * under the same access rules as the resource itself.
   */
  @Get(':localId/linkset')
  async linkset(
    @Param('localId') text: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const localId = this.identifiers.parse(text);
    if (localId === undefined) {
      throw invalidIdentifier(text);
    }
    const mediaType = negotiate(request.headers.accept, LINKSET_MEDIA_TYPES);
    if (mediaType === undefined) {
      throw new LinkedDataError(
        'NOT_ACCEPTABLE',
        `none of the media types in Accept "${request.headers.accept ?? ''}" is offered: the link set is available as ${LINKSET_MEDIA_TYPES.join(', ')}`,
      );
    }
    const access = await viewerAccessOf(request, this.auth);

    const resolved = await this.resolution.resolve(localId, access);
    if (resolved.kind === 'redirect' || resolved.representation.linkset === null) {
      throw new LinkedDataError('NOT_FOUND', `identifier ${localId} has no link set`);
    }
    await this.writer.writeLinkset(request, response, resolved.representation, mediaType);
  }

  @Get(':localId')
  async resolve(
    @Param('localId') text: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const localId = this.identifiers.parse(text);
    if (localId === undefined) {
      throw invalidIdentifier(text);
    }
    const variant = chooseVariant(request, IDENTIFIER_VARIANTS);
    const access = await viewerAccessOf(request, this.auth);

    const resolved = await this.resolution.resolve(localId, access);
    switch (resolved.kind) {
      case 'redirect':
        response.setHeader('Vary', 'Accept');
        response.redirect(303, resolved.location);
        return;
      case 'representation':
        await this.writer.write(request, response, resolved.representation, variant);
        return;
    }
  }
}

/** Say whether the text has the shape of a Weft identifier with a mistyped character, or is no Weft identifier at all. */
function invalidIdentifier(text: string): LinkedDataError {
  const quoted = text.slice(0, 40);
  // With its last character replaced by the right check character, a mistyped identifier becomes well formed.
  const body = text.slice(0, -1);
  if (text.length > 1 && isWellFormedLocalId(body + ncdaCheckCharacter(body))) {
    return new LinkedDataError(
      'INVALID_IDENTIFIER',
      `identifier ${quoted} has a wrong check character (its last character): a character was probably mistyped or two were swapped; copy the identifier again from its citation`,
    );
  }
  return new LinkedDataError(
    'INVALID_IDENTIFIER',
    `"${quoted}" is not a Weft identifier: identifiers are characters from ${BETANUMERIC}, the last one a check character`,
  );
}
