import { IntrinsicException } from '@nestjs/common';

/**
 * Why a fabric query was rejected or failed. The GraphQL layer maps each
 * code to an `extensions.code` in fabric-graphql-errors.ts.
 */
export type FabricErrorCode =
  /** The input names something the harvested schema lacks, or breaks a rule. */
  | 'INVALID_QUERY'
  /** The dataset does not exist or the viewer may not read it. */
  | 'NOT_FOUND'
  /** The viewer may read the dataset's metadata, but its data is under embargo until a date. */
  | 'EMBARGOED'
  /** The dataset exists but its kind or source cannot be queried. */
  | 'NOT_QUERYABLE'
  /** The answer would hold more rows than the row budget allows. */
  | 'ROW_BUDGET_EXCEEDED'
  /** The source did not answer within the time budget. */
  | 'TIME_BUDGET_EXCEEDED'
  /** The source refused the query or could not be reached. */
  | 'SOURCE_FAILED'
  /** A cursor that is malformed or belongs to another query. */
  | 'INVALID_CURSOR';

/** An error of the query fabric; its message names the value and what to change. */
export class FabricError extends IntrinsicException {
  /** Identifier of the recorded activity, when the query reached a source before it failed. */
  activityPid?: string;

  constructor(
    readonly code: FabricErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FabricError';
  }
}
