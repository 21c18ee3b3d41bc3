import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';

import { WeftConfigService } from '../config/weft-config.service';
import { toFabricGraphQLError } from '../fabric/graphql/fabric-graphql-errors';
import type { GraphqlContext } from '../graphql/graphql-context';
import { ExportError } from './export.error';
import { DatasetExport, ExportJobStateEnum, StartDatasetExportInput } from './export.graphql-types';
import { ExportJobsService } from './export-jobs.service';
import type { ExportJob } from './export-jobs.service';

/** RO-Crate exports over GraphQL: start a job, then follow its progress. */
@Resolver(() => DatasetExport)
export class ExportResolver {
  constructor(
    private readonly jobs: ExportJobsService,
    private readonly config: WeftConfigService,
  ) {}

  @Mutation(() => DatasetExport, {
    description:
      'Start exporting a time window of a dataset as an RO-Crate 1.2 ZIP (CSV, Parquet, metadata, checksums). Signed-in accounts that may read the data only. Returns at once; follow datasetExport(id) and download from downloadUrl.',
  })
  async startDatasetExport(
    @Context() context: GraphqlContext,
    @Args('input', { type: () => StartDatasetExportInput }) input: StartDatasetExportInput,
  ): Promise<DatasetExport> {
    try {
      const job = await this.jobs.start(
        { dataset: input.dataset, from: input.from, to: input.to, timeColumn: input.timeColumn },
        context.viewer,
      );
      return this.toGraphql(job);
    } catch (error) {
      throw toExportGraphQLError(error);
    }
  }

  @Query(() => DatasetExport, {
    nullable: true,
    description:
      'An export job with its progress. Null when unknown, expired, or started by another account (stewards see every job).',
  })
  datasetExport(
    @Context() context: GraphqlContext,
    @Args('id', { type: () => ID }) id: string,
  ): DatasetExport | null {
    const job = this.jobs.find(id, context.viewer);
    return job === null ? null : this.toGraphql(job);
  }

  private toGraphql(job: ExportJob): DatasetExport {
    const succeeded = job.state === 'succeeded' && job.file !== null;
    return {
      id: job.id,
      dataset: job.datasetPid,
      from: job.window.from.toISOString(),
      to: job.window.to.toISOString(),
      state: job.state as ExportJobStateEnum,
      rowsWritten: job.rowsWritten,
      estimatedTotal: job.estimatedTotal,
      percent: percentOf(job.rowsWritten, job.estimatedTotal),
      error: job.error,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      expiresAt: job.expiresAt,
      downloadUrl: succeeded ? `${this.config.value.baseUrl}/exports/${job.id}/download` : null,
      sha256: succeeded ? (job.file?.sha256 ?? null) : null,
      size: succeeded ? (job.file?.size ?? null) : null,
    };
  }
}

/** Rows written as a percentage of the estimate, capped at 100 because the estimate can be low. */
export function percentOf(rowsWritten: number, estimatedTotal: number | null): number | null {
  if (estimatedTotal === null) {
    return null;
  }
  if (estimatedTotal === 0) {
    return 100;
  }
  return Math.min(100, Math.round((rowsWritten / estimatedTotal) * 1000) / 10);
}

/** Map an export or fabric error to a GraphQL error with a stable `extensions.code`; others pass through. */
export function toExportGraphQLError(error: unknown): unknown {
  if (!(error instanceof ExportError)) {
    return toFabricGraphQLError(error);
  }
  switch (error.code) {
    case 'INVALID_INPUT':
      return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    case 'NOT_FOUND':
      return new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND' } });
    case 'UNAUTHENTICATED':
      return new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED' } });
    case 'FORBIDDEN':
      return new GraphQLError(error.message, { extensions: { code: 'FORBIDDEN' } });
    case 'NOT_EXPORTABLE':
      return new GraphQLError(error.message, { extensions: { code: 'NOT_QUERYABLE' } });
    case 'NOT_READY':
      return new GraphQLError(error.message, { extensions: { code: 'NOT_READY' } });
  }
}
