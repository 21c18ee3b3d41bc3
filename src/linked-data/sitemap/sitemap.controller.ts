import { Controller, Get, Param, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';

import { LinkedDataExceptionFilter } from '../http/linked-data-exception.filter';
import { LinkedDataError } from '../http/linked-data.error';
import { SitemapService } from './sitemap.service';
import { VerifiedTokenGuard } from '../http/verified-token.guard';

/** `GET /sitemap.xml`, `GET /sitemaps/{n}.xml` and `GET /robots.txt`, which points crawlers at the sitemap. */
@Controller()
@UseFilters(LinkedDataExceptionFilter)
@UseGuards(VerifiedTokenGuard)
export class SitemapController {
  constructor(private readonly sitemaps: SitemapService) {}

  @Get('sitemap.xml')
  async root(@Res() response: Response): Promise<void> {
    send(response, await this.sitemaps.root(), 'application/xml; charset=utf-8');
  }

  @Get('sitemaps/:file')
  async page(@Param('file') file: string, @Res() response: Response): Promise<void> {
    const match = /^([1-9]\d{0,8})\.xml$/.exec(file);
    const page = match === null ? null : await this.sitemaps.page(Number(match[1]));
    if (page === null) {
      throw new LinkedDataError(
        'NOT_FOUND',
        `sitemap ${file.slice(0, 40)} does not exist: /sitemap.xml lists the sitemaps`,
      );
    }
    send(response, page, 'application/xml; charset=utf-8');
  }

  @Get('robots.txt')
  robots(@Res() response: Response): void {
    const text = `User-agent: *\nAllow: /\nSitemap: ${this.sitemaps.rootUrl()}\n`;
    send(response, text, 'text/plain; charset=utf-8');
  }
}

function send(response: Response, body: string, contentType: string): void {
  response.status(200);
  response.setHeader('Content-Type', contentType);
  // Only public datasets are listed, so shared caches may keep the response.
  response.setHeader('Cache-Control', 'public, max-age=3600');
  response.end(body);
}
