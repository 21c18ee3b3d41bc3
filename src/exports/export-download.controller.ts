import { createReadStream } from 'node:fs';

import { Controller, Get, Logger, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';

import { AuthenticationError, AuthService } from '../auth/auth.service';
import { ExportError } from './export.error';
import { ExportJobsService } from './export-jobs.service';

/** Download of a finished export's ZIP, for the account that started it or a steward. */
@Controller('exports')
export class ExportDownloadController {
  private readonly logger = new Logger(ExportDownloadController.name);

  constructor(
    private readonly jobs: ExportJobsService,
    private readonly auth: AuthService,
  ) {}

  @Get(':id/download')
  async download(
    @Param('id') id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const viewer = await this.auth.viewerFromHeader(request.headers.authorization);
      const job = await this.jobs.download(id, viewer);
      response.status(200);
      response.setHeader('Content-Type', 'application/zip');
      response.setHeader('Content-Length', String(job.file.size));
      response.setHeader('Content-Disposition', `attachment; filename="weft-export-${job.id}.zip"`);
      // RFC 9530 Repr-Digest lets the client check the file it received.
      response.setHeader(
        'Repr-Digest',
        `sha-256=:${Buffer.from(job.file.sha256, 'hex').toString('base64')}:`,
      );
      response.setHeader('Cache-Control', 'private, no-store');
      const file = createReadStream(job.file.path);
      file.on('error', (error) => {
        // The headers are sent, so the client sees a cut-off body; the log keeps the cause.
        this.logger.error({
          msg: 'export download failed',
          exportId: job.id,
          error: error.message,
        });
        response.destroy(error);
      });
      file.pipe(response);
    } catch (error) {
      const { status, message } = describeError(error);
      if (status === 401) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="weft"');
      }
      response.status(status).json({ error: message });
    }
  }
}

function describeError(error: unknown): { status: number; message: string } {
  if (error instanceof AuthenticationError) {
    return { status: 401, message: error.message };
  }
  if (!(error instanceof ExportError)) {
    throw error;
  }
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return { status: 401, message: error.message };
    case 'FORBIDDEN':
      return { status: 403, message: error.message };
    case 'NOT_FOUND':
      return { status: 404, message: error.message };
    case 'NOT_READY':
      return { status: 409, message: error.message };
    case 'INVALID_INPUT':
    case 'NOT_EXPORTABLE':
      return { status: 400, message: error.message };
  }
}
