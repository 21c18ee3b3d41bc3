import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

import { GraphQLJSON } from '../../graphql/types/json.scalar';
import { PageInfo } from '../../graphql/types/connection.types';
import type { CellValue } from '../frame';

@ObjectType({ description: 'A column of a result, typed from the harvested schema.' })
export class FrameColumn {
  @Field()
  name!: string;

  @Field({
    description:
      'XSD datatype of the values (xsd:double, xsd:long, xsd:string, xsd:dateTimeStamp, xsd:decimal).',
  })
  datatype!: string;

  @Field(() => String, {
    nullable: true,
    description: 'UCUM code of the unit; null when the catalog knows none.',
  })
  unit!: string | null;

  @Field({ description: 'time, field or tag for observations; time or column for rows.' })
  role!: string;
}

@ObjectType({ description: 'A statement a source ran to answer the query.' })
export class PushedDownQuery {
  @Field(() => ID, { description: 'Identifier of the source.' })
  source!: string;

  @Field({ description: 'InfluxQL, Flux or SQL.' })
  language!: string;

  @Field()
  statement!: string;

  @Field(() => GraphQLJSON, {
    description: 'Bound parameter values by name ($from, params.from) or position ($1).',
  })
  parameters!: Record<string, unknown>;

  @Field(() => Int)
  rowCount!: number;
}

@ObjectType({
  description:
    'A page of tabular data read from a source, with the record of the query that produced it.',
})
export class DataFrame {
  @Field(() => ID, {
    description:
      'Identifier of the PROV-O activity that records this query; cite it with the data.',
  })
  activityId!: string;

  @Field(() => [FrameColumn])
  columns!: FrameColumn[];

  @Field(() => [[GraphQLJSON]], {
    nullable: 'items',
    description:
      'Rows, each with one value per column (null where the source has none); times are RFC 3339 strings.',
  })
  rows!: CellValue[][];

  @Field(() => Int)
  rowCount!: number;

  @Field({
    description:
      'SHA-256 (hex) of the canonical JSON of columns and rows, as recorded with the activity.',
  })
  checksum!: string;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [PushedDownQuery])
  pushedDown!: PushedDownQuery[];
}

@ObjectType({ description: 'A table row with the points of the series it joins with.' })
export class JoinedRow {
  @Field(() => [GraphQLJSON], { nullable: 'items', description: 'Values of the table columns.' })
  values!: CellValue[];

  @Field(() => [[GraphQLJSON]], {
    nullable: 'items',
    description: 'Points of the series, in seriesColumns order.',
  })
  series!: CellValue[][];

  @Field({ description: 'True when the series had more than limitPerRow points and was cut.' })
  seriesTruncated!: boolean;
}

@ObjectType({ description: 'A page of a join between a table and a measurement.' })
export class SeriesJoin {
  @Field(() => ID, { description: 'Identifier of the PROV-O activity that records this query.' })
  activityId!: string;

  @Field(() => [FrameColumn], { description: 'Columns of the table rows.' })
  columns!: FrameColumn[];

  @Field(() => [FrameColumn], { description: 'Columns of each series.' })
  seriesColumns!: FrameColumn[];

  @Field(() => [JoinedRow])
  rows!: JoinedRow[];

  @Field(() => Int)
  rowCount!: number;

  @Field(() => Int, { description: 'Series points over all rows of the page.' })
  pointCount!: number;

  @Field()
  checksum!: string;

  @Field(() => PageInfo, { description: 'Pages over the table rows.' })
  pageInfo!: PageInfo;

  @Field(() => [PushedDownQuery])
  pushedDown!: PushedDownQuery[];
}

@ObjectType({
  description:
    'A data query recorded as a PROV-O activity: who asked, what it read, what the sources ran.',
})
export class DataQueryRecord {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'observations, rows or joinSeries.' })
  operation!: string;

  @Field({ description: 'succeeded or failed.' })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Account that asked; null for anonymous requests.',
  })
  requestedBy!: string | null;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime)
  endedAt!: Date;

  @Field(() => [ID], { description: 'Datasets read.' })
  datasets!: string[];

  @Field(() => [ID], { description: 'Sources that ran a statement.' })
  sources!: string[];

  @Field(() => GraphQLJSON, { description: 'The validated query.' })
  query!: Record<string, unknown>;

  @Field(() => Int)
  rowCount!: number;

  @Field(() => String, {
    nullable: true,
    description: 'SHA-256 of the result; null when the query failed.',
  })
  resultChecksum!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => [PushedDownQuery])
  pushedDown!: PushedDownQuery[];

  @Field(() => GraphQLJSON, { description: 'The PROV-O JSON-LD document.' })
  prov!: Record<string, unknown>;
}
