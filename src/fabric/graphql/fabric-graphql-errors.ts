import { GraphQLError } from 'graphql';

import { FabricError } from '../fabric.error';

/**
 * Map a fabric error to a GraphQL error with a stable `extensions.code`,
 * and the activity identifier when the failed query was recorded. Other
 * errors pass through to the service-wide mapping.
 */
export function toFabricGraphQLError(error: unknown): unknown {
  if (!(error instanceof FabricError)) {
    return error;
  }
  const extensions: Record<string, unknown> = { code: graphqlCode(error) };
  if (error.activityPid !== undefined) {
    extensions.activityId = error.activityPid;
  }
  return new GraphQLError(error.message, { extensions });
}

function graphqlCode(error: FabricError): string {
  switch (error.code) {
    case 'INVALID_QUERY':
    case 'INVALID_CURSOR':
      return 'BAD_USER_INPUT';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'EMBARGOED':
      return 'EMBARGOED';
    case 'NOT_QUERYABLE':
      return 'NOT_QUERYABLE';
    case 'ROW_BUDGET_EXCEEDED':
      return 'ROW_BUDGET_EXCEEDED';
    case 'TIME_BUDGET_EXCEEDED':
      return 'TIME_BUDGET_EXCEEDED';
    case 'SOURCE_FAILED':
      return 'SOURCE_FAILED';
  }
}
