import { Field, Float, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';

/** Outcome of one metric test. */
export enum FairTestStatus {
  PASSED = 'passed',
  FAILED = 'failed',
  NOT_ASSESSED = 'not-assessed',
}

/** Outcome of a metric over its assessed tests. */
export enum FairMetricStatus {
  PASS = 'pass',
  PARTIAL = 'partial',
  FAIL = 'fail',
  NOT_ASSESSED = 'not-assessed',
}

registerEnumType(FairTestStatus, {
  name: 'FairTestStatus',
  description: 'PASSED, FAILED, or NOT_ASSESSED when the test needs sources outside the site.',
});
registerEnumType(FairMetricStatus, {
  name: 'FairMetricStatus',
  description:
    'PASS when every assessed test passed, PARTIAL when some did, FAIL when none did, NOT_ASSESSED when no test could be assessed.',
});

@ObjectType({ description: 'One test of a FAIR metric, with the evidence the site gave.' })
export class FairMetricTest {
  @Field({ description: 'Test identifier after the FAIRsFAIR metric tests, such as FsF-F2-01M-2.' })
  id!: string;

  @Field({ description: 'What the test checks.' })
  name!: string;

  @Field(() => Float, { description: 'Score of the test when it passes.' })
  maxScore!: number;

  @Field(() => Float, { description: 'Score reached: maxScore when passed, else 0.' })
  score!: number;

  @Field(() => FairTestStatus)
  status!: FairTestStatus;

  @Field(() => [String], {
    description: 'Statements of the checks made and their findings, one each.',
  })
  evidence!: string[];
}

@ObjectType({
  description: 'One FAIRsFAIR metric (as F-UJI implements it) and how the dataset fares.',
})
export class FairMetric {
  @Field({ description: 'FAIRsFAIR metric identifier, such as FsF-R1.1-01M.' })
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'FAIR principle the metric tests, such as R1.1.' })
  principle!: string;

  @Field(() => Float, { description: 'Sum of the scores of the tests that could be assessed.' })
  maxScore!: number;

  @Field(() => Float)
  score!: number;

  @Field(() => FairMetricStatus)
  status!: FairMetricStatus;

  @Field(() => [FairMetricTest])
  tests!: FairMetricTest[];
}

@ObjectType({
  description:
    'A FAIR self-assessment of a dataset against the FAIRsFAIR metrics that can be checked from the site alone.',
})
export class FairAssessmentResult {
  @Field({ description: 'Persistent identifier of the dataset.' })
  id!: string;

  @Field()
  title!: string;

  @Field(() => GraphQLISODateTime)
  assessedAt!: Date;

  @Field({ description: 'Version of the FAIRsFAIR metrics the identifiers and scores follow.' })
  metricsVersion!: string;

  @Field(() => Float)
  score!: number;

  @Field(() => Float, {
    description:
      "Sum of the assessed tests' scores; tests that need sources outside the site are left out.",
  })
  maxScore!: number;

  @Field(() => [FairMetric])
  metrics!: FairMetric[];
}
