import { IntrinsicException } from '@nestjs/common';

/** The reason a steward's change of an access policy was rejected, mapped to GraphQL codes in graphql-errors.ts. */
export class AccessPolicyError extends IntrinsicException {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'AccessPolicyError';
  }
}
