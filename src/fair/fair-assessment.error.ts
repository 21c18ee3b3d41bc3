import { IntrinsicException } from '@nestjs/common';

/** Reasons a FAIR assessment cannot be made. */
export type FairAssessmentErrorCode =
  'INVALID_IDENTIFIER' | 'NOT_FOUND' | 'NOT_A_DATASET' | 'FORBIDDEN';

/** Raised when a dataset cannot be assessed; the message names the identifier and what to do. */
export class FairAssessmentError extends IntrinsicException {
  constructor(
    readonly code: FairAssessmentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FairAssessmentError';
  }
}
