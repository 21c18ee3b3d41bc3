import {
  Args,
  Context,
  Field,
  GraphQLISODateTime,
  ObjectType,
  Query,
  Resolver,
  createUnionType,
} from '@nestjs/graphql';

import { mayReadDataset } from '../../auth/dataset-access';
import { unreadableInput } from '../../derived/derived-access';
import { CatalogService } from '../../catalog/catalog.service';
import { WeftConfigService } from '../../config/weft-config.service';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import { LicencesService } from '../../licences/licences.service';
import type { GraphqlContext } from '../graphql-context';
import { UserInputError } from '../graphql-errors';
import {
  toDataService,
  toDataset,
  toDistribution,
  toHarvestRun,
  toLicence,
  toSource,
} from '../mappers';
import {
  DataService,
  Dataset,
  Distribution,
  HarvestRun,
  Licence,
  Source,
} from '../types/catalog.types';
import { GraphQLJSON } from '../types/json.scalar';

@ObjectType({
  description:
    'What a withdrawn identifier named, and when it was withdrawn. Identifiers are never reused.',
})
export class Tombstone {
  @Field({ description: 'The withdrawn identifier.' })
  id!: string;

  @Field({ description: 'dataset, distribution, source, data-service or activity.' })
  entityType!: string;

  @Field(() => GraphQLISODateTime)
  withdrawnAt!: Date;

  @Field(() => GraphQLJSON, { description: 'Type, title and reason recorded at withdrawal.' })
  tombstone!: Record<string, unknown>;
}

export const IdentifiedEntity = createUnionType({
  name: 'IdentifiedEntity',
  description: 'Anything with a persistent identifier, or the tombstone of something withdrawn.',
  types: () => [Dataset, Distribution, Source, DataService, HarvestRun, Tombstone] as const,
  resolveType(value: object) {
    if ('tombstone' in value) return Tombstone;
    if ('landingPage' in value) return Dataset;
    if ('accessUrl' in value) return Distribution;
    if ('key' in value && 'kind' in value) return Source;
    if ('trigger' in value) return HarvestRun;
    return DataService;
  },
});

@ObjectType({ description: 'The site catalog (dcat:Catalog).' })
export class CatalogInfo {
  @Field()
  title!: string;

  @Field()
  publisher!: string;

  @Field({ description: 'URL of the DCAT catalog endpoint for harvesters.' })
  dcatUrl!: string;

  @Field({ description: 'Base under which identifiers are minted.' })
  identifierBase!: string;
}

@ObjectType({ description: 'The signed-in account, as the server sees it.' })
export class Me {
  @Field(() => String, { nullable: true, description: 'Null when anonymous.' })
  username!: string | null;

  @Field(() => [String], {
    description: 'Roles Weft recognised in the token: researcher, steward, admin.',
  })
  roles!: string[];
}

/** Lookups by identifier, licences and catalog-level facts. */
@Resolver()
export class IdentifierResolver {
  constructor(
    private readonly catalogService: CatalogService,
    private readonly identifiers: IdentifiersService,
    private readonly licenceService: LicencesService,
    private readonly config: WeftConfigService,
  ) {}

  @Query(() => IdentifiedEntity, {
    nullable: true,
    description:
      'Fetch any entity by its persistent identifier. Returns a Tombstone for withdrawn identifiers, null for unknown ones or datasets the viewer may not read.',
  })
  async resolveIdentifier(
    @Context() context: GraphqlContext,
    @Args('id') id: string,
  ): Promise<typeof IdentifiedEntity | null> {
    const localId = this.identifiers.parse(id);
    if (localId === undefined) {
      throw new UserInputError(
        `"${id}" is not a Weft identifier, or its check character is wrong: check it for typing errors`,
      );
    }
    const resolution = await this.catalogService.resolve(localId);
    if (resolution.state === 'unknown') {
      return null;
    }
    if (resolution.state === 'withdrawn' && resolution.entityType !== 'dataset') {
      return {
        id: this.identifiers.toPid(localId),
        entityType: resolution.entityType,
        withdrawnAt: resolution.withdrawnAt,
        tombstone: resolution.tombstone,
      };
    }

    switch (resolution.entityType) {
      case 'dataset': {
        const dataset = await this.catalogService.datasetById(resolution.entityId);
        if (
          dataset === null ||
          !mayReadDataset(context.viewer, dataset) ||
          (await unreadableInput(context.viewer, dataset, this.catalogService)) !== null
        ) {
          return null;
        }
        if (dataset.status === 'withdrawn') {
          return {
            id: dataset.pid,
            entityType: 'dataset',
            withdrawnAt: dataset.withdrawnAt ?? new Date(0),
            tombstone: {
              type: 'dcat:Dataset',
              title: dataset.title,
              reason: dataset.withdrawnReason,
            },
          };
        }
        return toDataset(dataset, this.identifiers.resolverUrl(localId));
      }
      case 'distribution': {
        const distribution = await this.catalogService.distributionById(resolution.entityId);
        if (distribution === null) return null;
        const dataset = await this.catalogService.datasetById(distribution.datasetId);
        if (dataset === null || !mayReadDataset(context.viewer, dataset)) return null;
        return toDistribution(distribution);
      }
      case 'source': {
        const source = await this.catalogService.sourceById(resolution.entityId);
        return source === null ? null : toSource(source);
      }
      case 'data-service': {
        const service = await this.catalogService.dataServiceById(resolution.entityId);
        return service === null ? null : toDataService(service);
      }
      case 'activity': {
        // Like the harvestRuns query: run details name accounts and internal errors.
        if (context.viewer.roles.length === 0) return null;
        const run = await this.catalogService.harvestRun(resolution.entityId);
        return run === null ? null : toHarvestRun(run);
      }
      case 'catalog':
        return null;
      case 'data-product':
        // NOTE: data products are not part of the IdentifiedEntity union yet; the dataProduct query returns them.
        return null;
    }
  }

  @Query(() => [Licence], {
    description:
      'Licences that can be assigned: SPDX licences and the custom ones stewards defined.',
  })
  async licences(): Promise<Licence[]> {
    return (await this.licenceService.list()).map(toLicence);
  }

  @Query(() => CatalogInfo)
  catalog(): CatalogInfo {
    return {
      title: this.config.value.catalogTitle,
      publisher: this.config.value.publisherName,
      dcatUrl: `${this.config.value.baseUrl}/catalog`,
      identifierBase: this.config.value.pidBase,
    };
  }

  @Query(() => Me)
  me(@Context() context: GraphqlContext): Me {
    return { username: context.viewer.username, roles: context.viewer.roles };
  }
}
