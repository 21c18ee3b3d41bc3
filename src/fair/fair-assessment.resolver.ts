import { Args, Context, Query, Resolver } from '@nestjs/graphql';

import type { GraphqlContext } from '../graphql/graphql-context';
import { UserInputError } from '../graphql/graphql-errors';
import { FairAssessmentError } from './fair-assessment.error';
import type { FairAssessment } from './fair-assessment.service';
import { FairAssessmentService } from './fair-assessment.service';
import { FairAssessmentResult, FairMetricStatus, FairTestStatus } from './fair-assessment.types';

/** The FAIR self-assessment of a dataset over GraphQL. */
@Resolver()
export class FairAssessmentResolver {
  constructor(private readonly assessments: FairAssessmentService) {}

  @Query(() => FairAssessmentResult, {
    nullable: true,
    // An assessment renders, fetches and validates the dataset's description: it counts as much as
    // a large page of results, so one request can ask for at most a few.
    complexity: 5000,
    description:
      'Assess a dataset against the FAIRsFAIR metrics that can be checked from the site alone, with the evidence for each. Anyone who may read the dataset may ask. Returns null for unknown identifiers and for datasets the viewer may not read. Takes a few seconds: it validates the description against the DCAT-AP shapes.',
  })
  async fairAssessment(
    @Context() context: GraphqlContext,
    @Args('id', { description: 'Persistent identifier of the dataset.' }) id: string,
  ): Promise<FairAssessmentResult | null> {
    try {
      const assessment = await this.assessments.assess(id, {
        viewer: context.viewer,
        signedIn: context.viewer.subject !== null,
      });
      return toResult(assessment);
    } catch (error) {
      if (!(error instanceof FairAssessmentError)) {
        throw error;
      }
      switch (error.code) {
        case 'NOT_FOUND':
        case 'FORBIDDEN':
          return null;
        case 'INVALID_IDENTIFIER':
        case 'NOT_A_DATASET':
          throw new UserInputError(error.message);
      }
    }
  }
}

function toResult(assessment: FairAssessment): FairAssessmentResult {
  return {
    id: assessment.pid,
    title: assessment.title,
    assessedAt: assessment.assessedAt,
    metricsVersion: assessment.metricsVersion,
    score: assessment.score,
    maxScore: assessment.maxScore,
    metrics: assessment.metrics.map((metric) => ({
      id: metric.id,
      name: metric.name,
      principle: metric.principle,
      maxScore: metric.maxScore,
      score: metric.score,
      status: metric.status as FairMetricStatus,
      tests: metric.tests.map((test) => ({
        ...test,
        status: test.status as FairTestStatus,
      })),
    })),
  };
}
