import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  registerEnumType,
} from '@nestjs/graphql';

import { GraphQLJSON } from '../../graphql/types/json.scalar';
import type { CellValue } from '../frame';

export enum AggregationEnum {
  MEAN = 'mean',
  MIN = 'min',
  MAX = 'max',
  LAST = 'last',
  COUNT = 'count',
  SUM = 'sum',
}
registerEnumType(AggregationEnum, {
  name: 'Aggregation',
  description:
    'Function applied to each field over each window (or over the whole range without a window).',
});

export enum FillPolicyEnum {
  NONE = 'none',
  NULL = 'null',
  PREVIOUS = 'previous',
  LINEAR = 'linear',
  NUMBER = 'number',
}
registerEnumType(FillPolicyEnum, {
  name: 'FillPolicy',
  description:
    'What a window without points holds: NONE leaves it out, NULL (the default) null, PREVIOUS the last value, LINEAR a value interpolated between its neighbours, NUMBER fillValue.',
});

export enum TagOperatorEnum {
  EQ = 'eq',
  NE = 'ne',
  IN = 'in',
  NOT_IN = 'notIn',
}
registerEnumType(TagOperatorEnum, {
  name: 'TagOperator',
  description: 'Comparison of a tag with one value (EQ, NE) or several (IN, NOT_IN).',
});

export enum RowOperatorEnum {
  EQ = 'eq',
  NE = 'ne',
  LT = 'lt',
  LTE = 'lte',
  GT = 'gt',
  GTE = 'gte',
  IN = 'in',
  LIKE = 'like',
  IS_NULL = 'isNull',
}
registerEnumType(RowOperatorEnum, {
  name: 'RowOperator',
  description:
    'Comparison of a column with value (EQ to GTE, LIKE with SQL % and _ wildcards on text columns), with the list values (IN), or with null (IS_NULL: value true for IS NULL, false for IS NOT NULL).',
});

export enum SortDirectionEnum {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SortDirectionEnum, {
  name: 'SortDirection',
  description: 'ASC puts nulls last, DESC first.',
});

export enum JoinModeEnum {
  TIME_WINDOW = 'timeWindow',
  TAG_KEY = 'tagKey',
}
registerEnumType(JoinModeEnum, {
  name: 'JoinMode',
  description:
    "TIME_WINDOW: each row gets the points between its startColumn and endColumn (both included), of the series whose tag equals keyColumn when that is set. TAG_KEY: each row gets the series whose tag equals the row's keyColumn, between observations.from and observations.to.",
});

@InputType({
  description:
    'Lower limits for one query; the server limits (WEFT_FABRIC_MAX_ROWS, WEFT_FABRIC_TIMEOUT_MS) cannot be raised.',
})
export class QueryBudgetInput {
  @Field(() => Int, {
    nullable: true,
    description: 'Most rows the answer may hold, join points included.',
  })
  maxRows?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Longest the sources may take, in milliseconds.',
  })
  timeoutMs?: number | null;
}

@InputType({
  description: 'A condition on a tag of the measurement; the tag must be one the harvest found.',
})
export class TagFilterInput {
  @Field()
  tag!: string;

  @Field(() => TagOperatorEnum, { defaultValue: TagOperatorEnum.EQ })
  op!: TagOperatorEnum;

  @Field(() => [String], { description: 'One value for EQ and NE, 1 to 200 for IN and NOT_IN.' })
  values!: string[];
}

@InputType({
  description: 'Which observations of a measurement to return, and how to aggregate them.',
})
export class ObservationQueryInput {
  @Field(() => GraphQLISODateTime, { description: 'Start of the time range, included.' })
  from!: Date;

  @Field(() => GraphQLISODateTime, { description: 'End of the time range, excluded.' })
  to!: Date;

  @Field(() => [String], {
    nullable: true,
    description:
      'Field keys to return; all fields (all numeric ones for MEAN, SUM, MIN, MAX) when omitted.',
  })
  fields?: string[] | null;

  @Field(() => [TagFilterInput], { nullable: true })
  tagFilters?: TagFilterInput[] | null;

  @Field(() => AggregationEnum, {
    nullable: true,
    description:
      'Aggregate instead of returning raw points; the series of the measurement are merged first.',
  })
  aggregation?: AggregationEnum | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Window of the aggregation: a whole number and ms, s, m, h, d or w (5m). Windows start at multiples of their length since the Unix epoch.',
  })
  window?: string | null;

  @Field(() => FillPolicyEnum, { nullable: true, description: 'Only with window.' })
  fill?: FillPolicyEnum | null;

  @Field(() => Float, { nullable: true, description: 'Value of empty windows with fill NUMBER.' })
  fillValue?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Rows per page; WEFT_FABRIC_PAGE_ROWS when omitted, at most the row budget.',
  })
  limit?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'endCursor of the previous page, with the same input.',
  })
  after?: string | null;

  @Field(() => QueryBudgetInput, { nullable: true })
  budget?: QueryBudgetInput | null;
}

@InputType({
  description:
    'A condition on a column of the table; the value is sent as a bound parameter and must fit the column type.',
})
export class RowFilterInput {
  @Field()
  column!: string;

  @Field(() => RowOperatorEnum, { defaultValue: RowOperatorEnum.EQ })
  op!: RowOperatorEnum;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'A number, string (times as RFC 3339) or boolean.',
  })
  value?: CellValue;

  @Field(() => [GraphQLJSON], { nullable: true, description: 'The values of IN.' })
  values?: CellValue[] | null;
}

@InputType()
export class RowOrderInput {
  @Field()
  column!: string;

  @Field(() => SortDirectionEnum, { defaultValue: SortDirectionEnum.ASC })
  direction!: SortDirectionEnum;
}

@InputType({ description: 'Which rows and columns of a table to return.' })
export class RowQueryInput {
  @Field(() => [String], { nullable: true, description: 'Columns to return; all when omitted.' })
  columns?: string[] | null;

  @Field(() => [RowFilterInput], {
    nullable: true,
    description: 'Conditions, all of which must hold.',
  })
  filters?: RowFilterInput[] | null;

  @Field(() => [RowOrderInput], {
    nullable: true,
    description: 'Sort order; the primary key is appended so pages never overlap.',
  })
  orderBy?: RowOrderInput[] | null;

  @Field(() => Int, { nullable: true, description: 'Rows per page.' })
  limit?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'endCursor of the previous page, with the same input.',
  })
  after?: string | null;

  @Field(() => QueryBudgetInput, { nullable: true })
  budget?: QueryBudgetInput | null;
}

@InputType({
  description: 'The series side of a join: what every table row gets from the measurement.',
})
export class SeriesSelectionInput {
  @Field(() => [String], { nullable: true })
  fields?: string[] | null;

  @Field(() => [TagFilterInput], { nullable: true })
  tagFilters?: TagFilterInput[] | null;

  @Field(() => AggregationEnum, { nullable: true })
  aggregation?: AggregationEnum | null;

  @Field(() => String, { nullable: true })
  window?: string | null;

  @Field(() => FillPolicyEnum, { nullable: true })
  fill?: FillPolicyEnum | null;

  @Field(() => Float, { nullable: true })
  fillValue?: number | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Earliest time read for any row; required by TAG_KEY joins.',
  })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'End of the time read for any row (excluded); required by TAG_KEY joins, and the end of open windows.',
  })
  to?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Most points per row (1000 when omitted); a row with more is cut and marked seriesTruncated.',
  })
  limitPerRow?: number | null;
}

@InputType({ description: "A join of this table's rows with a measurement's series." })
export class SeriesJoinInput {
  @Field(() => ID, { description: 'Identifier of the InfluxDB measurement dataset.' })
  series!: string;

  @Field(() => JoinModeEnum)
  mode!: JoinModeEnum;

  @Field(() => String, {
    nullable: true,
    description: 'TIME_WINDOW: the column where each window starts.',
  })
  startColumn?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'TIME_WINDOW: the column where each window ends; null values end at observations.to or now.',
  })
  endColumn?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The column whose value the series' tag must equal: required by TAG_KEY; with TIME_WINDOW it narrows each window to the row's series (a batch's reactor).",
  })
  keyColumn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The tag key of the measurement that keyColumn matches; set with keyColumn.',
  })
  tag?: string | null;

  @Field(() => RowQueryInput, {
    nullable: true,
    description: 'Which table rows take part; their limit is capped by WEFT_FABRIC_MAX_JOIN_ROWS.',
  })
  rows?: RowQueryInput | null;

  @Field(() => SeriesSelectionInput)
  observations!: SeriesSelectionInput;

  @Field(() => QueryBudgetInput, { nullable: true })
  budget?: QueryBudgetInput | null;
}
