import { IntrinsicException } from '@nestjs/common';

/** The error of a failed save or re-execution of a derived dataset; resolvers map its code to GraphQL. */
export class DerivedDatasetError extends IntrinsicException {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'DerivedDatasetError';
  }
}
