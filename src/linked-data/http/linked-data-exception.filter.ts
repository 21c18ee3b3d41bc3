import { Catch, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';

import { WeftConfigService } from '../../config/weft-config.service';
import { renderErrorPage } from '../html/error-page.renderer';
import { LinkedDataError } from './linked-data.error';
import { negotiate } from './media-type-negotiation';

/**
 * Renders linked-data client errors: an HTML page for browsers (or
 * `format=html`), otherwise an RFC 9457 problem document. Error responses
 * are never cached.
 */
@Catch(LinkedDataError)
export class LinkedDataExceptionFilter implements ExceptionFilter<LinkedDataError> {
  private readonly logger = new Logger(LinkedDataExceptionFilter.name);

  constructor(private readonly config: WeftConfigService) {}

  catch(error: LinkedDataError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    this.logger.debug({
      msg: 'linked-data request rejected',
      path: request.path,
      status: error.status,
      code: error.code,
      reason: error.message,
    });

    for (const [name, value] of Object.entries(error.headers)) {
      response.setHeader(name, value);
    }
    response.setHeader('Vary', 'Accept');
    response.setHeader('Cache-Control', 'no-store');
    response.status(error.status);

    if (prefersHtml(request)) {
      const { baseUrl, catalogTitle } = this.config.value;
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end(
        renderErrorPage(error.status, error.title, error.message, baseUrl, catalogTitle),
      );
      return;
    }
    response.setHeader('Content-Type', 'application/problem+json');
    response.end(
      `${JSON.stringify({ type: 'about:blank', title: error.title, status: error.status, detail: error.message, code: error.code }, null, 2)}\n`,
    );
  }
}

function prefersHtml(request: Request): boolean {
  const format = request.query.format;
  if (format !== undefined) {
    return format === 'html';
  }
  return (
    negotiate(request.headers.accept, ['application/problem+json', 'text/html']) === 'text/html'
  );
}
