import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';

import type { GraphqlContext } from '../../graphql/graphql-context';
import { Dataset } from '../../graphql/types/catalog.types';
import { ObservationsService } from '../influx/observations.service';
import { SeriesJoinService } from '../join/series-join.service';
import { RowsService } from '../postgres/rows.service';
import { toFabricGraphQLError } from './fabric-graphql-errors';
import { ObservationQueryInput, RowQueryInput, SeriesJoinInput } from './fabric.inputs';
import {
  toDataFrame,
  toObservationRequest,
  toRowRequest,
  toSeriesJoin,
  toSeriesJoinRequest,
} from './fabric.mappers';
import { DataFrame, SeriesJoin } from './fabric.types';

/**
 * The data of a dataset, read from its source on request: observations of
 * an InfluxDB measurement, rows of a PostgreSQL table, and joins of a
 * table with a measurement. Thin: the services validate, push down and
 * record provenance.
 */
@Resolver(() => Dataset)
export class FabricDatasetResolver {
  constructor(
    private readonly observationsService: ObservationsService,
    private readonly rowsService: RowsService,
    private readonly joinService: SeriesJoinService,
  ) {}

  @ResolveField(() => DataFrame, {
    description:
      'Observations of an InfluxDB measurement in a time range, raw or aggregated over fixed windows, read from the source as InfluxQL or Flux. ' +
      'Errors for other kinds of datasets. Each call is recorded as a PROV-O activity (activityId).',
  })
  async observations(
    @Parent() dataset: Dataset,
    @Context() context: GraphqlContext,
    @Args('input', { type: () => ObservationQueryInput }) input: ObservationQueryInput,
  ): Promise<DataFrame> {
    try {
      const page = await this.observationsService.observations(
        dataset.entity,
        context.viewer,
        toObservationRequest(input),
      );
      return toDataFrame(page);
    } catch (error) {
      throw toFabricGraphQLError(error);
    }
  }

  @ResolveField(() => DataFrame, {
    description:
      'Rows of a PostgreSQL table or view, with column selection, filters and ordering, read from the source as SQL. ' +
      'Errors for other kinds of datasets. Each call is recorded as a PROV-O activity (activityId).',
  })
  async rows(
    @Parent() dataset: Dataset,
    @Context() context: GraphqlContext,
    @Args('input', { type: () => RowQueryInput, nullable: true }) input: RowQueryInput | null,
  ): Promise<DataFrame> {
    try {
      const page = await this.rowsService.rows(
        dataset.entity,
        context.viewer,
        toRowRequest(input ?? {}),
      );
      return toDataFrame(page);
    } catch (error) {
      throw toFabricGraphQLError(error);
    }
  }

  @ResolveField(() => SeriesJoin, {
    description:
      "The rows of this PostgreSQL table, each with the points of an InfluxDB measurement's series within the row's time window or with the row's key as tag. " +
      'The viewer must be able to read both datasets.',
  })
  async joinSeries(
    @Parent() dataset: Dataset,
    @Context() context: GraphqlContext,
    @Args('input', { type: () => SeriesJoinInput }) input: SeriesJoinInput,
  ): Promise<SeriesJoin> {
    try {
      const page = await this.joinService.joinSeries(
        dataset.entity,
        context.viewer,
        toSeriesJoinRequest(input),
      );
      return toSeriesJoin(page);
    } catch (error) {
      throw toFabricGraphQLError(error);
    }
  }
}
