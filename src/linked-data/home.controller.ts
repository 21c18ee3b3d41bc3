import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';

import { AuthService } from '../auth/auth.service';
import type { Viewer } from '../auth/viewer';
import { CatalogService, InvalidCursorError } from '../catalog/catalog.service';
import type { Page } from '../catalog/catalog.service';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { renderHomePage } from './html/home-page.renderer';
import { LinkedDataExceptionFilter } from './http/linked-data-exception.filter';
import { LinkedDataError } from './http/linked-data.error';
import { viewerAccessOf } from './http/viewer-access';
import { LinkedDataSite } from './linked-data-site.service';

/** Results on one page of the home page's search. */
const RESULTS_PER_PAGE = 50;

/** `GET /`: the home page with a server-side search over the datasets the viewer may read. */
@Controller()
@UseFilters(LinkedDataExceptionFilter)
export class HomeController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly site: LinkedDataSite,
    private readonly auth: AuthService,
  ) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : '';
    const after =
      typeof request.query.after === 'string' && request.query.after !== ''
        ? request.query.after
        : null;
    const access = await viewerAccessOf(request, this.auth);

    const results = await this.search(query, after, access.viewer);
    const page = renderHomePage({
      query,
      datasets: results.items,
      totalCount: results.totalCount,
      nextCursor: results.hasNextPage ? results.endCursor : null,
      signedIn: access.signedIn,
      site: this.site.facts,
    });
    response.status(200);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    // Results depend on the viewer and change with every harvest.
    response.setHeader('Cache-Control', 'private, no-cache');
    response.end(page);
  }

  private async search(
    query: string,
    after: string | null,
    viewer: Viewer,
  ): Promise<Page<DatasetEntity>> {
    try {
      return await this.catalog.searchDatasets(
        { text: query === '' ? undefined : query },
        viewer,
        RESULTS_PER_PAGE,
        after,
      );
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new LinkedDataError('INVALID_PARAMETER', error.message);
      }
      throw error;
    }
  }
}
