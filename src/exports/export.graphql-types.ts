import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ExportJobStateEnum {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(ExportJobStateEnum, {
  name: 'ExportJobState',
  description:
    'RUNNING while rows are read and written; SUCCEEDED when the ZIP can be downloaded; FAILED with an error.',
});

@InputType({ description: 'Which dataset and time window to export as an RO-Crate.' })
export class StartDatasetExportInput {
  @Field(() => ID, {
    description:
      'Persistent identifier of the dataset (an InfluxDB measurement or a PostgreSQL table).',
  })
  dataset!: string;

  @Field({
    description:
      'Start of the window, included: an ISO 8601 time with a zone (2024-03-01T00:00:00Z).',
  })
  from!: string;

  @Field({ description: 'End of the window, excluded: an ISO 8601 time with a zone.' })
  to!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "For tables: the timestamp column the window applies to; the table's first timestamp column when omitted.",
  })
  timeColumn?: string | null;
}

@ObjectType({
  description:
    'An export job. Visible to the account that started it and to data stewards, until WEFT_EXPORT_RETENTION_MINUTES after it ended.',
})
export class DatasetExport {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'Persistent identifier of the exported dataset.' })
  dataset!: string;

  @Field({ description: 'Start of the window, included (ISO 8601, UTC).' })
  from!: string;

  @Field({ description: 'End of the window, excluded (ISO 8601, UTC).' })
  to!: string;

  @Field(() => ExportJobStateEnum)
  state!: ExportJobStateEnum;

  @Field(() => Int, { description: 'Rows written to the CSV and Parquet files so far.' })
  rowsWritten!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Estimate of the rows in the window, for progress; null while unknown. Equals rowsWritten once the job succeeded.',
  })
  estimatedTotal!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'rowsWritten as a percentage of estimatedTotal, at most 100; null while the estimate is unknown.',
  })
  percent!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the job failed; null otherwise.' })
  error!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the job and its file are deleted; null while it runs.',
  })
  expiresAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'URL of the ZIP once the job succeeded; send the same Authorization header as for GraphQL.',
  })
  downloadUrl!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'SHA-256 of the ZIP (hex) once the job succeeded.',
  })
  sha256!: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Size of the ZIP in bytes once the job succeeded.',
  })
  size!: number | null;
}
