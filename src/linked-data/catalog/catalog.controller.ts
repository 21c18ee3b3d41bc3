import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';

import { AuthService } from '../../auth/auth.service';
import { LinkedDataExceptionFilter } from '../http/linked-data-exception.filter';
import { LinkedDataError } from '../http/linked-data.error';
import type { Variant } from '../http/representation';
import { chooseVariant } from '../http/representation';
import { RepresentationWriter } from '../http/representation-writer.service';
import { viewerAccessOf } from '../http/viewer-access';
import {
  CatalogPageService,
  DEFAULT_CATALOG_PAGE_SIZE,
  MAX_CATALOG_PAGE_SIZE,
} from './catalog-page.service';

/** The catalog is for machines: JSON-LD first, then the other RDF syntaxes. */
const CATALOG_VARIANTS: readonly Variant[] = ['jsonld', 'json', 'turtle', 'ntriples'];

/** `GET /catalog`: the DCAT catalog for harvesters, paged with Hydra terms and Link headers. */
@Controller('catalog')
@UseFilters(LinkedDataExceptionFilter)
export class CatalogController {
  constructor(
    private readonly pages: CatalogPageService,
    private readonly writer: RepresentationWriter,
    private readonly auth: AuthService,
  ) {}

  @Get()
  async catalog(@Req() request: Request, @Res() response: Response): Promise<void> {
    const page = integerParameter(request, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = integerParameter(
      request,
      'pageSize',
      DEFAULT_CATALOG_PAGE_SIZE,
      1,
      MAX_CATALOG_PAGE_SIZE,
    );
    const variant = chooseVariant(request, CATALOG_VARIANTS);
    const access = await viewerAccessOf(request, this.auth);

    const representation = await this.pages.page(access, page, pageSize);
    await this.writer.write(request, response, representation, variant);
  }
}

function integerParameter(
  request: Request,
  name: string,
  fallback: number,
  minimum: number,
  maximum: number,
): number {
  const raw = request.query[name];
  if (raw === undefined) {
    return fallback;
  }
  if (
    typeof raw !== 'string' ||
    !/^\d{1,16}$/.test(raw) ||
    Number(raw) < minimum ||
    Number(raw) > maximum
  ) {
    throw new LinkedDataError(
      'INVALID_PARAMETER',
      `${name}=${typeof raw === 'string' ? raw : JSON.stringify(raw)} is invalid: expected an integer from ${minimum} to ${maximum}`,
    );
  }
  return Number(raw);
}
