import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';

import { ProductsService } from '../products/products.service';
import { renderDataProductsPage } from './html/data-products-page.renderer';
import { LinkedDataExceptionFilter } from './http/linked-data-exception.filter';
import { LinkedDataSite } from './linked-data-site.service';
import { VerifiedTokenGuard } from './http/verified-token.guard';

/** Products listed on one page; the GraphQL dataProducts query has the same cap. */
const PRODUCTS_PER_PAGE = 100;

/**
 * `GET /products`: the data products with their owners and quality status,
 * for people. Product metadata is public, and the page names no dataset.
 */
@Controller()
@UseFilters(LinkedDataExceptionFilter)
@UseGuards(VerifiedTokenGuard)
export class DataProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly site: LinkedDataSite,
  ) {}

  @Get('products')
  async list(@Res() response: Response): Promise<void> {
    const now = new Date();
    const entries = [];
    for (const product of await this.products.list(PRODUCTS_PER_PAGE)) {
      const quality = await this.products.quality(product, now);
      entries.push({ product, status: quality.status });
    }

    response.status(200);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    // Quality is computed at each request from the current time and the last harvests.
    response.setHeader('Cache-Control', 'no-cache');
    response.end(renderDataProductsPage(entries, this.site.facts));
  }
}
