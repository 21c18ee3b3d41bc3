import { IntrinsicException } from '@nestjs/common';

/** The reason a review queue request or a review was rejected, mapped to GraphQL codes in graphql-errors.ts. */
export class ReviewError extends IntrinsicException {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}
