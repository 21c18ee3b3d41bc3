import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { GraphqlContext } from '../graphql/graphql-context';
import { UserInputError } from '../graphql/graphql-errors';
import { toDataset } from '../graphql/mappers';
import { Dataset } from '../graphql/types/catalog.types';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { ReviewService } from './review.service';
import type { Review } from './review.service';
import { ReviewDatasetInput, ReviewFieldEnum, ReviewQueueConnection } from './review.types';

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
        dataset: this.toDataset(entry.dataset),
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
    const review: Review = { datasetPid: this.pidOf(input.datasetId), reason: input.reason };
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
    return this.toDataset(await this.reviews.review(review, context.viewer));
  }

  private pidOf(id: string): string {
    const localId = this.identifiers.parse(id);
    if (localId === undefined) {
      throw new UserInputError(
        `"${id.slice(0, 80)}" is not a Weft identifier: check it for typing errors (its last character is a check character)`,
      );
    }
    return this.identifiers.toPid(localId);
  }

  private toDataset(entity: DatasetEntity): Dataset {
    const localId = this.identifiers.parse(entity.pid) ?? entity.pid;
    return toDataset(entity, this.identifiers.resolverUrl(localId));
  }
}
