import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { GraphqlContext } from '../graphql/graphql-context';
import { Dataset } from '../graphql/types/catalog.types';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { ReviewService } from './review.service';
import type { Review } from './review.service';
import { ReviewDatasetInput, ReviewFieldEnum, ReviewQueueConnection } from './review.types';
import { datasetOf, pidArgument } from '../graphql/identifier-arguments';

/** The steward review queue over GraphQL. Thin: the rules live in ReviewService. */
@Resolver()
export class ReviewResolver {
  constructor(
    private readonly reviews: ReviewService,
    private readonly identifiers: IdentifiersService,
  ) {}

  @Query(() => ReviewQueueConnection, {
    description:
      'Datasets waiting for a steward review, oldest first, with what each lacks. Stewards and admins only; others get FORBIDDEN.',
  })
  async reviewQueue(
    @Context() context: GraphqlContext,
    @Args('first', { type: () => Int, defaultValue: 20, description: 'Page size, 0 to 100.' })
    first: number,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: 'endCursor of the previous page.',
    })
    after: string | null,
  ): Promise<ReviewQueueConnection> {
    const page = await this.reviews.queue(context.viewer, first, after ?? null);
    return {
      nodes: page.entries.map((entry) => ({
        dataset: datasetOf(this.identifiers, entry.dataset),
        missing: entry.missing.map((field) => field as ReviewFieldEnum),
      })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @Mutation(() => Dataset, {
    description:
      'Review a dataset: set its licence, rights holder, description and keywords in one step. Stewards and admins only; recorded in the dataset history with who, when and why.',
  })
  async reviewDataset(
    @Context() context: GraphqlContext,
    @Args('input') input: ReviewDatasetInput,
  ): Promise<Dataset> {
    const review: Review = {
      datasetPid: pidArgument(this.identifiers, input.datasetId),
      reason: input.reason,
    };
    if (input.licenceId !== undefined && input.licenceId !== null) {
      review.licenceId = input.licenceId;
    }
    if (input.rightsHolder !== undefined && input.rightsHolder !== null) {
      review.rightsHolder = input.rightsHolder;
    }
    if (input.description !== undefined && input.description !== null) {
      review.description = input.description;
    }
    if (input.keywords !== undefined && input.keywords !== null) {
      review.keywords = input.keywords;
    }
    return datasetOf(this.identifiers, await this.reviews.review(review, context.viewer));
  }
}
