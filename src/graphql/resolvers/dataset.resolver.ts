import {
  Args,
  Context,
  ID,
  Int,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Mutation,
} from '@nestjs/graphql';

import type { AccessPolicyChange } from '../../access/access-policy';
import { AccessPolicyService } from '../../access/access-policy.service';
import { mayReadDataset } from '../../auth/dataset-access';
import { hasRole } from '../../auth/viewer';
import { CatalogService } from '../../catalog/catalog.service';
import { unreadableInput } from '../../derived/derived-access';
import { CatalogWriterService } from '../../catalog/catalog-writer.service';
import type { DatasetFilter } from '../../catalog/dataset-search';
import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import { LicencesService } from '../../licences/licences.service';
import type { GraphqlContext } from '../graphql-context';
import { ForbiddenError, UserInputError } from '../graphql-errors';
import {
  AssignLicenceInput,
  DatasetSearchInput,
  SetAccessLevelInput,
  WithdrawDatasetInput,
} from '../inputs/catalog.inputs';
import {
  toChange,
  toDistribution,
  toHarvestRun,
  toLicence,
  toProperty,
  toSource,
} from '../mappers';
import {
  Dataset,
  DatasetChange,
  Distribution,
  HarvestRun,
  Licence,
  ObservableProperty,
  Source,
} from '../types/catalog.types';
import { DatasetConnection } from '../types/connection.types';
import { datasetOf, pidArgument } from '../identifier-arguments';

const DEFAULT_PAGE = 20;

/** Dataset search, lookup and curation. Thin: every decision lives in the services. */
@Resolver(() => Dataset)
export class DatasetResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly identifiers: IdentifiersService,
    private readonly licences: LicencesService,
    private readonly writer: CatalogWriterService,
    private readonly accessPolicies: AccessPolicyService,
  ) {}

  @Query(() => DatasetConnection, {
    description:
      'Search datasets by text and facets. Anonymous viewers see public datasets, researchers also site datasets, stewards and admins all.',
  })
  async searchDatasets(
    @Context() context: GraphqlContext,
    @Args('input', { type: () => DatasetSearchInput, nullable: true })
    input: DatasetSearchInput | null,
    @Args('first', {
      type: () => Int,
      defaultValue: DEFAULT_PAGE,
      description: 'Page size, 0 to 100.',
    })
    first: number,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: 'endCursor of the previous page.',
    })
    after: string | null,
  ): Promise<DatasetConnection> {
    if (first < 0 || first > 100) {
      throw new UserInputError(
        `first=${first} is out of range: ask for 0 to 100 datasets per page and follow pageInfo.endCursor`,
      );
    }
    const filter = toFilter(input ?? {});
    const page = await this.catalog.searchDatasets(filter, context.viewer, first, after ?? null);
    const nodes = page.items.map((entity) => datasetOf(this.identifiers, entity));
    return {
      nodes,
      edges: nodes.map((node, index) => ({
        node,
        cursor: index === nodes.length - 1 && page.endCursor !== null ? page.endCursor : node.id,
      })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
      facets: [],
      search: filter,
    };
  }

  @Query(() => Dataset, {
    nullable: true,
    description:
      'A dataset by its persistent identifier; null when unknown or not readable by the viewer.',
  })
  async dataset(
    @Context() context: GraphqlContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Dataset | null> {
    const entity = await this.findReadable(id, context);
    return entity === null ? null : datasetOf(this.identifiers, entity);
  }

  @Mutation(() => Dataset, {
    description:
      'Assign a licence and rights holder to a dataset. Stewards only; recorded in the dataset history.',
  })
  async assignLicence(
    @Context() context: GraphqlContext,
    @Args('input') input: AssignLicenceInput,
  ): Promise<Dataset> {
    const pid = pidArgument(this.identifiers, input.datasetId);
    const choice = {
      ...(input.licenceId === undefined || input.licenceId === null
        ? {}
        : { licenceId: input.licenceId }),
      ...(input.custom === undefined || input.custom === null
        ? {}
        : {
            custom: {
              id: input.custom.id,
              name: input.custom.name,
              text: input.custom.text,
              ...(input.custom.url ? { url: input.custom.url } : {}),
              policy: input.custom.policy ?? null,
            },
          }),
    };
    const entity = await this.licences.assign(
      pid,
      choice,
      input.rightsHolder ?? null,
      input.reason,
      context.viewer,
    );
    return datasetOf(this.identifiers, entity);
  }

  @Mutation(() => Dataset, {
    description:
      "Change a dataset's access policy: level, named realm roles and embargo. Stewards and admins only; recorded in the dataset history with who, when and why.",
  })
  async setDatasetAccessLevel(
    @Context() context: GraphqlContext,
    @Args('input') input: SetAccessLevelInput,
  ): Promise<Dataset> {
    const change: AccessPolicyChange = { accessLevel: input.accessLevel };
    if (input.accessRoles !== undefined) {
      change.accessRoles = input.accessRoles ?? [];
    }
    if (input.embargoUntil !== undefined) {
      change.embargoUntil = input.embargoUntil;
    }
    const entity = await this.accessPolicies.setPolicy(
      pidArgument(this.identifiers, input.datasetId),
      change,
      input.reason,
      context.viewer,
    );
    return datasetOf(this.identifiers, entity);
  }

  @Mutation(() => Dataset, {
    description:
      'Withdraw a dataset. Stewards only; its identifier keeps resolving to a tombstone.',
  })
  async withdrawDataset(
    @Context() context: GraphqlContext,
    @Args('input') input: WithdrawDatasetInput,
  ): Promise<Dataset> {
    if (!hasRole(context.viewer, 'steward')) {
      throw new ForbiddenError(
        'only data stewards may withdraw datasets: sign in with an account that has the steward role',
      );
    }
    const entity = await this.writer.withdrawByPid(
      pidArgument(this.identifiers, input.datasetId),
      input.reason,
      context.viewer,
    );
    return datasetOf(this.identifiers, entity);
  }

  @ResolveField(() => [ObservableProperty])
  async properties(@Parent() dataset: Dataset): Promise<ObservableProperty[]> {
    return (await this.catalog.propertiesOf(dataset.internalId)).map(toProperty);
  }

  @ResolveField(() => [Distribution])
  async distributions(@Parent() dataset: Dataset): Promise<Distribution[]> {
    return (await this.catalog.distributionsOf(dataset.internalId)).map(toDistribution);
  }

  @ResolveField(() => Source, {
    nullable: true,
    description: 'The source system the dataset was harvested from.',
  })
  async source(@Parent() dataset: Dataset): Promise<Source | null> {
    const source = await this.catalog.sourceById(dataset.sourceId);
    return source === null ? null : toSource(source);
  }

  @ResolveField(() => Licence, {
    nullable: true,
    description: 'Null until a steward assigns a licence.',
  })
  async licence(@Parent() dataset: Dataset): Promise<Licence | null> {
    if (dataset.licenceId === null) {
      return null;
    }
    const licence = await this.licences.byId(dataset.licenceId);
    return licence === null ? null : toLicence(licence);
  }

  @ResolveField(() => [DatasetChange], {
    description: 'History, newest first: harvest changes and curation with who, when and why.',
  })
  async history(
    @Parent() dataset: Dataset,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
  ): Promise<DatasetChange[]> {
    return (await this.catalog.historyOf(dataset.internalId, limit)).map(toChange);
  }

  @ResolveField(() => [HarvestRun], {
    description: 'Provenance: the harvest runs that created or changed the dataset, newest first.',
  })
  async provenance(@Parent() dataset: Dataset): Promise<HarvestRun[]> {
    return (await this.catalog.activitiesOf(dataset.internalId)).map(toHarvestRun);
  }

  private async findReadable(id: string, context: GraphqlContext): Promise<DatasetEntity | null> {
    const localId = this.identifiers.parse(id);
    if (localId === undefined) {
      throw new UserInputError(
        `"${id}" is not a Weft identifier: expected ${this.identifiers.toPid('<id>')} or the id with its check character`,
      );
    }
    const entity = await this.catalog.datasetByPid(this.identifiers.toPid(localId));
    if (entity === null || !mayReadDataset(context.viewer, entity)) {
      return null;
    }
    // A derived dataset shows data of its inputs: it is hidden from viewers who may not read one of them.
    if ((await unreadableInput(context.viewer, entity, this.catalog)) !== null) {
      return null;
    }
    return entity;
  }
}

function toFilter(input: DatasetSearchInput): DatasetFilter {
  const filter: DatasetFilter = {};
  if (input.text !== undefined && input.text !== null) {
    if (input.text.length > 500) {
      throw new UserInputError('text is longer than 500 characters: search with fewer words');
    }
    filter.text = input.text;
  }
  const lists: Array<[keyof DatasetFilter, string[] | undefined | null, string]> = [
    ['sourceKeys', input.sources, 'sources'],
    ['places', input.places, 'places'],
    ['units', input.units, 'units'],
    ['quantityKinds', input.quantityKinds, 'quantityKinds'],
    ['licences', input.licences, 'licences'],
    ['kinds', input.kinds, 'kinds'],
  ];
  for (const [key, values, name] of lists) {
    if (values === undefined || values === null) {
      continue;
    }
    if (values.length > 50) {
      throw new UserInputError(`${name} has ${values.length} values: give at most 50`);
    }
    values.forEach((value, index) => {
      // PostgreSQL text cannot hold NUL, and no unit, place or id contains one.
      if (value.includes('\u0000')) {
        throw new UserInputError(`${name}[${index}] contains a NUL character: remove it`);
      }
    });
    (filter as Record<string, unknown>)[key] = values;
  }
  if (input.accessLevels !== undefined && input.accessLevels !== null) {
    filter.accessLevels = input.accessLevels;
  }
  if (input.coverageFrom !== undefined && input.coverageFrom !== null) {
    filter.coverageFrom = validDate(input.coverageFrom, 'coverageFrom');
  }
  if (input.coverageTo !== undefined && input.coverageTo !== null) {
    filter.coverageTo = validDate(input.coverageTo, 'coverageTo');
  }
  filter.includeWithdrawn = input.includeWithdrawn === true;
  return filter;
}

/** A date PostgreSQL can compare: a real time between the years 1 and 9999. */
function validDate(value: Date, name: string): Date {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time) || value.getUTCFullYear() < 1 || value.getUTCFullYear() > 9999) {
    throw new UserInputError(
      `${name} is not a valid time: give an ISO 8601 date-time such as 2026-01-31T00:00:00Z`,
    );
  }
  return value;
}
