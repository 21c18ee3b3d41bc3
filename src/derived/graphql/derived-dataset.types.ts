import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

import { FrameColumn } from '../../fabric/graphql/fabric.types';
import { GraphQLJSON } from '../../graphql/types/json.scalar';

@InputType({ description: 'Save the result of a recorded data query as a derived dataset.' })
export class SaveQueryResultInput {
  @Field(() => ID, {
    description:
      'activityId of the query whose result is saved (a DataFrame or SeriesJoin returns it). Only first pages can be saved.',
  })
  activityId!: string;

  @Field({ description: 'Title of the new dataset, 1 to 500 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description, at most 10,000 characters.' })
  description?: string;

  @Field(() => [String], { nullable: true, description: 'Keywords, at most 50.' })
  keywords?: string[];
}

@ObjectType({
  description:
    'How a derived dataset came to be: the query that generated it, when it ran and the checksum of its result.',
})
export class DatasetDerivation {
  @Field(() => ID, { description: 'The query activity (prov:wasGeneratedBy).' })
  activityId!: string;

  @Field({ description: 'observations, rows or joinSeries.' })
  operation!: string;

  @Field(() => GraphQLISODateTime, {
    description: 'When the query ran; re-execution reads the data as it was then.',
  })
  executedAt!: Date;

  @Field(() => [ID], { description: 'Input datasets (prov:wasDerivedFrom).' })
  inputs!: string[];

  @Field(() => GraphQLJSON, { description: 'The validated query as the activity recorded it.' })
  query!: Record<string, unknown>;

  @Field({ description: 'SHA-256 (hex) of the canonical JSON of the cited result.' })
  resultChecksum!: string;

  @Field(() => Int)
  rowCount!: number;

  @Field({ description: 'Account that saved the result.' })
  savedBy!: string;

  @Field({
    description:
      'Citation of the dataset with its query, execution time and checksum, as the landing page shows it.',
  })
  citation!: string;
}

@ObjectType({
  description:
    'A derived dataset re-executed: its stored query run again against the data as it was when the query ran.',
})
export class CitedResult {
  @Field(() => ID, { description: 'The new query activity that re-executed the stored query.' })
  activityId!: string;

  @Field(() => GraphQLISODateTime, { description: 'Execution time of the cited query.' })
  executedAt!: Date;

  @Field({
    description:
      'True when every source was bounded by the execution time, so later writes with later times do not change the result.',
  })
  timeBounded!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'How the bound was applied, or why the result may differ from the cited one.',
  })
  note!: string | null;

  @Field(() => [FrameColumn])
  columns!: FrameColumn[];

  @Field(() => [FrameColumn], {
    nullable: true,
    description: "Columns of each row's series for a join; null otherwise.",
  })
  seriesColumns!: FrameColumn[] | null;

  @Field(() => GraphQLJSON, {
    description:
      'The rows: arrays of values, or for a join objects with values, series and seriesTruncated.',
  })
  rows!: unknown[];

  @Field({ description: 'SHA-256 (hex) of the canonical JSON of this result.' })
  checksum!: string;

  @Field({ description: 'SHA-256 (hex) recorded when the query first ran.' })
  storedChecksum!: string;

  @Field({ description: 'Whether this result is the cited one.' })
  matches!: boolean;
}
