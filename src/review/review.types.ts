import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Dataset } from '../graphql/types/catalog.types';
import { PageInfo } from '../graphql/types/connection.types';

export enum ReviewFieldEnum {
  LICENCE = 'licence',
  RIGHTS_HOLDER = 'rightsHolder',
  DESCRIPTION = 'description',
  KEYWORDS = 'keywords',
}
registerEnumType(ReviewFieldEnum, {
  name: 'ReviewField',
  description: 'Metadata a harvest cannot supply and a steward adds in a review.',
});

@ObjectType({ description: 'A dataset waiting for a steward review.' })
export class ReviewQueueEntry {
  @Field(() => Dataset)
  dataset!: Dataset;

  @Field(() => [ReviewFieldEnum], { description: 'What the dataset lacks, never empty.' })
  missing!: ReviewFieldEnum[];
}

@ObjectType({
  description:
    'Datasets never reviewed that lack a licence, rights holder, description or keywords, oldest first.',
})
export class ReviewQueueConnection {
  @Field(() => [ReviewQueueEntry])
  nodes!: ReviewQueueEntry[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of datasets in the queue, over all pages.' })
  totalCount!: number;
}

@InputType({
  description:
    "Set a dataset's licence, rights holder, description and keywords in one step and take it out of the review queue (stewards and admins only). Omitted fields stay as they are; the description and keywords set here survive later harvests.",
})
export class ReviewDatasetInput {
  @Field({ description: 'Persistent identifier of the dataset.' })
  datasetId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'SPDX identifier or LicenseRef-… of a known licence (see the licences query; assignLicence defines custom ones).',
  })
  licenceId?: string | null;

  @Field(() => String, { nullable: true, description: 'Rights holder (dct:rightsHolder).' })
  rightsHolder?: string | null;

  @Field(() => String, { nullable: true, description: 'Description, 1 to 10,000 characters.' })
  description?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Keywords (dcat:keyword), 1 to 50, each up to 100 characters; replace the current ones.',
  })
  keywords?: string[] | null;

  @Field({ description: 'Why these values are set; kept in the dataset history.' })
  reason!: string;
}
