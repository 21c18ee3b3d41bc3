import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';

import { CatalogService } from '../../catalog/catalog.service';
import type { DatasetFilter } from '../../catalog/dataset-search';
import type { GraphqlContext } from '../graphql-context';
import { DatasetConnection, Facet, FacetNameEnum } from '../types/connection.types';

/** Facets are computed only when a client asks for them, since each is one grouped query. */
@Resolver(() => DatasetConnection)
export class DatasetConnectionResolver {
  constructor(private readonly catalog: CatalogService) {}

  @ResolveField(() => [Facet])
  async facets(
    @Parent() connection: DatasetConnection,
    @Context() context: GraphqlContext,
    @Args('names', { type: () => [FacetNameEnum], defaultValue: Object.values(FacetNameEnum) })
    names: FacetNameEnum[],
  ): Promise<Facet[]> {
    const search = connection.search as DatasetFilter;
    return Promise.all(
      names.map(async (name) => ({
        name,
        values: await this.catalog.facet(name, search, context.viewer),
      })),
    );
  }
}
