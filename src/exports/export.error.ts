import { IntrinsicException } from '@nestjs/common';

/** Why an export was rejected or failed. */
export type ExportErrorCode =
  /** A value of the request is malformed or out of range (a time, the window). */
  | 'INVALID_INPUT'
  /** The dataset or job does not exist, or the viewer may not see it. */
  | 'NOT_FOUND'
  /** The request carries no signed-in account. */
  | 'UNAUTHENTICATED'
  /** The account may see the dataset but not read its data. */
  | 'FORBIDDEN'
  /** The dataset holds no data Weft can read (a topic, a node group, a table without a time column). */
  | 'NOT_EXPORTABLE'
  /** The job has not finished, failed or expired, so there is no file to download. */
  | 'NOT_READY';

/** An error of the export module; its message names the value and what to change. */
export class ExportError extends IntrinsicException {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
