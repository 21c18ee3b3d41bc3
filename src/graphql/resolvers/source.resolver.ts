import { GraphQLJSON } from '../types/json.scalar';
import {
  Args,
  Context,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';

import { hasRole } from '../../auth/viewer';
import type { Viewer } from '../../auth/viewer';
import { CatalogService } from '../../catalog/catalog.service';
import {
  DERIVED_SOURCE_KEY,
  DERIVED_SOURCE_KIND,
} from '../../catalog/entities/source-system.entity';
import { HarvestService } from '../../harvest/harvest.service';
import { parseSources } from '../../sources/source-config.parser';
import { SourcesService } from '../../sources/sources.service';
import type { GraphqlContext } from '../graphql-context';
import { ForbiddenError, UserInputError } from '../graphql-errors';
import { HarvestSourceInput, RemoveSourceInput, UpsertSourceInput } from '../inputs/catalog.inputs';
import { toDataService, toHarvestRun, toSource } from '../mappers';
import { DataService, HarvestRun, Source } from '../types/catalog.types';
import { HarvestRunConnection } from '../types/connection.types';

/** Sources and harvest runs: read by signed-in users, configured and triggered by admins. */
@Resolver(() => Source)
export class SourceResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly registry: SourcesService,
    private readonly harvest: HarvestService,
  ) {}

  @Query(() => [Source], {
    description: 'All configured sources, removed ones included. Signed-in users only.',
  })
  async sources(@Context() context: GraphqlContext): Promise<Source[]> {
    requireSignedIn(context.viewer);
    return (await this.registry.list()).map(toSource);
  }

  @Query(() => HarvestRunConnection, {
    description: 'Harvest runs, newest first, of one source or all. Signed-in users only.',
  })
  async harvestRuns(
    @Context() context: GraphqlContext,
    @Args('source', {
      type: () => String,
      nullable: true,
      description: 'Source id; all sources when omitted.',
    })
    sourceKey: string | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<HarvestRunConnection> {
    requireSignedIn(context.viewer);
    if (first < 0 || first > 100) {
      throw new UserInputError(`first=${first} is out of range: ask for 0 to 100 runs per page`);
    }
    let sourceId: string | null = null;
    if (sourceKey !== null && sourceKey !== undefined) {
      const source = await this.registry.findByKey(sourceKey);
      if (source === null) {
        throw new UserInputError(
          `source "${sourceKey}" not found: list sources with the sources query`,
          true,
        );
      }
      sourceId = source.id;
    }
    const page = await this.catalog.harvestRuns(sourceId, first, after ?? null);
    return {
      nodes: page.items.map(toHarvestRun),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @Mutation(() => HarvestRun, {
    description: 'Harvest a source now and return the finished run. Admins only.',
  })
  async harvestSource(
    @Context() context: GraphqlContext,
    @Args('input') input: HarvestSourceInput,
  ): Promise<HarvestRun> {
    requireAdmin(context.viewer, 'start harvests');
    const source = await this.registry.findByKey(input.source);
    if (source === null) {
      throw new UserInputError(
        `source "${input.source}" not found: list sources with the sources query`,
        true,
      );
    }
    if (source.kind === DERIVED_SOURCE_KIND) {
      throw new UserInputError(
        `source "${input.source}" contains derived datasets saved from query results and is never harvested: harvest the sources of their inputs instead`,
      );
    }
    const run = await this.harvest.runNow(
      input.source,
      'demand',
      context.viewer.username ?? context.viewer.subject,
    );
    return toHarvestRun(run);
  }

  @Mutation(() => Source, {
    description:
      'Create or replace a source. Admins only. Secrets must be { file } or { env } references.',
  })
  async upsertSource(
    @Context() context: GraphqlContext,
    @Args('input') input: UpsertSourceInput,
  ): Promise<Source> {
    requireAdmin(context.viewer, 'configure sources');
    let document: unknown;
    try {
      document = JSON.parse(input.configJson);
    } catch {
      throw new UserInputError(
        'configJson is not valid JSON: send one source entry as a JSON object',
      );
    }
    const parsed = parseSources([document], 'configJson');
    if (parsed.problems.length > 0 || parsed.sources.length !== 1) {
      throw new UserInputError(parsed.problems.map((problem) => problem.message).join('; '));
    }
    return toSource(await this.registry.upsert(parsed.sources[0]));
  }

  @Mutation(() => Source, {
    description: 'Stop harvesting a source; its datasets and identifiers stay. Admins only.',
  })
  async removeSource(
    @Context() context: GraphqlContext,
    @Args('input') input: RemoveSourceInput,
  ): Promise<Source> {
    requireAdmin(context.viewer, 'remove sources');
    if (input.source === DERIVED_SOURCE_KEY) {
      throw new UserInputError(
        `source "${input.source}" is the built-in source of derived datasets and cannot be removed`,
      );
    }
    const removed = await this.registry.remove(input.source);
    if (removed === null) {
      throw new UserInputError(`source "${input.source}" not found`, true);
    }
    return toSource(removed);
  }

  @ResolveField(() => DataService, {
    nullable: true,
    description: "The source's endpoint as a DCAT data service; null for NodeSet files.",
  })
  async dataService(@Parent() source: Source): Promise<DataService | null> {
    const service = await this.catalog.dataServiceOfSource(source.internalId);
    return service === null ? null : toDataService(service);
  }

  @ResolveField('details', () => GraphQLJSON, {
    description:
      'Facts the last harvest learnt about the source (server version, namespaces, retention). Empty for anonymous callers, because they name accounts and internal addresses.',
  })
  details(@Parent() source: Source, @Context() context: GraphqlContext): Record<string, unknown> {
    return context.viewer.roles.length === 0 ? {} : source.details;
  }

  @ResolveField('lastError', () => String, {
    nullable: true,
    description: 'Error of the last failed harvest; null for anonymous callers.',
  })
  lastError(@Parent() source: Source, @Context() context: GraphqlContext): string | null {
    return context.viewer.roles.length === 0 ? null : source.lastError;
  }

  @ResolveField('recentRuns', () => HarvestRunConnection, {
    description: "The source's harvest runs, newest first. Signed-in users only.",
  })
  async recentRuns(
    @Parent() source: Source,
    @Context() context: GraphqlContext,
    @Args('first', { type: () => Int, defaultValue: 10 }) first: number,
  ): Promise<HarvestRunConnection> {
    requireSignedIn(context.viewer);
    const page = await this.catalog.harvestRuns(source.internalId, Math.min(first, 100), null);
    return {
      nodes: page.items.map(toHarvestRun),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }
}

/** Harvest runs link back to the source they harvested. */
@Resolver(() => HarvestRun)
export class HarvestRunResolver {
  constructor(private readonly catalog: CatalogService) {}

  @ResolveField(() => Source, { nullable: true })
  async source(@Parent() run: HarvestRun): Promise<Source | null> {
    const source = await this.catalog.sourceById(run.sourceId);
    return source === null ? null : toSource(source);
  }
}

function requireSignedIn(viewer: Viewer): void {
  if (viewer.roles.length === 0) {
    throw new ForbiddenError(
      'sign in with a researcher, steward or admin account to see sources and harvest runs',
    );
  }
}

function requireAdmin(viewer: Viewer, action: string): void {
  if (!hasRole(viewer, 'admin')) {
    throw new ForbiddenError(
      `only admins may ${action}: sign in with an account that has the admin role`,
    );
  }
}
