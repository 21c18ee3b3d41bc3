import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Dataset, HarvestRun } from './catalog.types';

export enum FacetNameEnum {
  SOURCE = 'source',
  PLACE = 'place',
  UNIT = 'unit',
  QUANTITY_KIND = 'quantityKind',
  LICENCE = 'licence',
  KIND = 'kind',
  COVERAGE_YEAR = 'coverageYear',
}
registerEnumType(FacetNameEnum, {
  name: 'FacetName',
  description: 'Dimensions a dataset search can be faceted by.',
});

@ObjectType({ description: 'Cursor pagination state (Relay connection specification).' })
export class PageInfo {
  @Field(() => String, {
    nullable: true,
    description: 'Cursor to pass as `after` for the next page; null on an empty page.',
  })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType()
export class FacetValue {
  @Field({
    description:
      'Facet value: a source id, place, UCUM code, quantity kind, licence id ("none" for no licence), kind or year.',
  })
  value!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class Facet {
  @Field(() => FacetNameEnum)
  name!: FacetNameEnum;

  @Field(() => [FacetValue], {
    description: 'The 30 most frequent values among the matching datasets.',
  })
  values!: FacetValue[];
}

@ObjectType()
export class DatasetEdge {
  @Field()
  cursor!: string;

  @Field(() => Dataset)
  node!: Dataset;
}

@ObjectType({ description: 'A page of datasets matching a search.' })
export class DatasetConnection {
  @Field(() => [DatasetEdge])
  edges!: DatasetEdge[];

  @Field(() => [Dataset], { description: 'The datasets of this page, the same as edges.node.' })
  nodes!: Dataset[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of datasets matching the search, over all pages.' })
  totalCount!: number;

  @Field(() => [Facet], {
    description: 'Counts per facet value over all matching datasets; computed only when requested.',
  })
  facets!: Facet[];

  /** Internal: the search, so the facets resolver can repeat it. */
  search!: unknown;
}

@ObjectType({ description: 'A page of harvest runs, newest first.' })
export class HarvestRunConnection {
  @Field(() => [HarvestRun])
  nodes!: HarvestRun[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
