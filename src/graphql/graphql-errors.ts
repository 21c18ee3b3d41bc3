import { IntrinsicException } from '@nestjs/common';
import { GraphQLError } from 'graphql';

import { AccessPolicyError } from '../access/access-policy.error';
import { AuthenticationError } from '../auth/auth.service';
import { InvalidCursorError } from '../catalog/catalog.service';
import { DerivedDatasetError } from '../derived/derived-dataset.error';
import { LicenceError } from '../licences/licences.service';
import { ReviewError } from '../review/review.error';
import { ProductError } from '../products/products.error';

/** Raised by resolvers when the viewer lacks a role. */
export class ForbiddenError extends IntrinsicException {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Raised by resolvers for input that names something that does not exist or is malformed. */
export class UserInputError extends IntrinsicException {
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/**
 * Map every error a resolver may raise to a GraphQL error with a stable
 * `extensions.code`, in one place. Unknown errors become INTERNAL_SERVER_ERROR
 * without their message, so internals (SQL, paths) never reach clients.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) {
    return error;
  }
  if (error instanceof AuthenticationError) {
    return new GraphQLError(error.message, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  if (error instanceof ForbiddenError) {
    return new GraphQLError(error.message, { extensions: { code: 'FORBIDDEN' } });
  }
  if (error instanceof InvalidCursorError) {
    return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (error instanceof UserInputError) {
    return new GraphQLError(error.message, {
      extensions: { code: error.notFound ? 'NOT_FOUND' : 'BAD_USER_INPUT' },
    });
  }
  if (
    error instanceof AccessPolicyError ||
    error instanceof ReviewError ||
    error instanceof LicenceError ||
    error instanceof DerivedDatasetError ||
    error instanceof ProductError
  ) {
    return domainError(error.message, error.code);
  }
  return new GraphQLError('internal error: the server log has the details', {
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/** GraphQL codes of the codes Weft's domain errors share; other codes pass through as they are. */
const DOMAIN_CODES: Record<string, string> = {
  INVALID: 'BAD_USER_INPUT',
  INCOMPATIBLE: 'LICENCE_INCOMPATIBLE',
};

/** Builds the GraphQL error of a domain error code. */
function domainError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: DOMAIN_CODES[code] ?? code,
      ...(code === 'UNAUTHENTICATED' ? { http: { status: 401 } } : {}),
    },
  });
}
