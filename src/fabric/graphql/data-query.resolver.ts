import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';

import type { GraphqlContext } from '../../graphql/graphql-context';
import { UserInputError } from '../../graphql/graphql-errors';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import { FabricCatalog } from '../catalog/fabric-catalog.service';
import { FabricQueryRecorder } from '../provenance/fabric-query-recorder.service';
import { toDataQueryRecord } from './fabric.mappers';
import { DataQueryRecord } from './fabric.types';

/** Lookup of recorded data queries by the identifier a DataFrame or SeriesJoin returned. */
@Resolver(() => DataQueryRecord)
export class DataQueryResolver {
  constructor(
    private readonly recorder: FabricQueryRecorder,
    private readonly catalog: FabricCatalog,
    private readonly identifiers: IdentifiersService,
  ) {}

  @Query(() => DataQueryRecord, {
    nullable: true,
    description:
      'A recorded data query by its activity identifier; null when unknown, or when the viewer may not read every dataset it read.',
  })
  async dataQuery(
    @Context() context: GraphqlContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<DataQueryRecord | null> {
    const localId = this.identifiers.parse(id);
    if (localId === undefined) {
      throw new UserInputError(
        `"${id.slice(0, 80)}" is not a Weft identifier: pass the activityId a query returned`,
      );
    }
    const record = await this.recorder.byPid(this.identifiers.toPid(localId));
    if (record === null || !(await this.catalog.mayReadAll(record.datasets, context.viewer))) {
      return null;
    }
    return toDataQueryRecord(record);
  }
}
