import { Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';

import { OaiPmhService } from './oai-pmh.service';
import { VerifiedTokenGuard } from '../http/verified-token.guard';
import { LinkedDataExceptionFilter } from '../http/linked-data-exception.filter';

/**
 * `GET /oai` and `POST /oai`: the OAI-PMH 2.0 endpoint (base URL
 * `<base URL>/oai`). Arguments come from the query string, or for POST
 * from an `application/x-www-form-urlencoded` body (section 3.1.1).
 * Protocol errors come with status 200 and an `<error>` element, as the
 * protocol requires. OAI-PMH harvesters are anonymous, so only
 * public datasets are records.
 */
@Controller('oai')
@UseGuards(VerifiedTokenGuard)
@UseFilters(LinkedDataExceptionFilter)
export class OaiPmhController {
  constructor(private readonly oai: OaiPmhService) {}

  @Get()
  async get(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(queryArguments(request), response);
  }

  @Post()
  async post(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(bodyArguments(request), response);
  }

  private async answer(parameters: Record<string, string[]>, response: Response): Promise<void> {
    const xml = await this.oai.respond(parameters);
    response.status(200);
    response.setHeader('Content-Type', 'text/xml; charset=utf-8');
    response.setHeader('Cache-Control', 'public, no-cache');
    response.end(xml);
  }
}

/** Read the query string as given, keeping repeated arguments, which the protocol forbids and must report. */
function queryArguments(request: Request): Record<string, string[]> {
  const query = request.originalUrl.includes('?')
    ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1)
    : '';
  const parameters: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    (parameters[name] ??= []).push(value);
  }
  return parameters;
}

/** Read a form body; values that are not text (nested forms) are kept as their JSON text, which no argument accepts. */
function bodyArguments(request: Request): Record<string, string[]> {
  const body: unknown = request.body;
  const parameters: Record<string, string[]> = {};
  if (typeof body !== 'object' || body === null) {
    return parameters;
  }
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    parameters[name] = values.map((item) =>
      typeof item === 'string' ? item : JSON.stringify(item),
    );
  }
  return parameters;
}
