import { IntrinsicException } from '@nestjs/common';

/** Reason a data product request failed, mapped to GraphQL error codes in src/graphql/graphql-errors.ts. */
export type ProductErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID';

/** Raised by the data product services with a message that names the value and the fix. */
export class ProductError extends IntrinsicException {
  constructor(
    readonly code: ProductErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProductError';
  }
}
