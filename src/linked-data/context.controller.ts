import { Controller, Get, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';

import { entityTag, isNotModified } from './http/conditional-request';
import { LinkedDataExceptionFilter } from './http/linked-data-exception.filter';
import { LinkedDataError } from './http/linked-data.error';
import { BundledContexts } from './json-ld/bundled-contexts.service';
import { VerifiedTokenGuard } from './http/verified-token.guard';

const CONTENT_TYPE = 'application/ld+json';

/**
 * `GET /contexts/:fileName`: the bundled JSON-LD contexts, so that JSON-LD
 * processors outside the site can expand Weft's documents.
 */
@Controller('contexts')
@UseFilters(LinkedDataExceptionFilter)
@UseGuards(VerifiedTokenGuard)
export class ContextController {
  constructor(private readonly contexts: BundledContexts) {}

  @Get(':fileName')
  context(
    @Param('fileName') fileName: string,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const text = this.contexts.fileText(fileName);
    if (text === undefined) {
      throw new LinkedDataError(
        'NOT_FOUND',
        `context ${fileName.slice(0, 60)} is not bundled with this service`,
      );
    }
    const body = Buffer.from(text, 'utf8');
    const etag = entityTag(body, CONTENT_TYPE);
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'public, max-age=3600');
    // Browser-based JSON-LD processors load contexts cross-origin.
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (isNotModified(request.headers, etag, null)) {
      response.status(304).end();
      return;
    }
    response.status(200);
    response.setHeader('Content-Type', CONTENT_TYPE);
    response.setHeader('Content-Length', body.length);
    response.end(body);
  }
}
