import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';

import { hasRole } from '../../auth/viewer';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import type { DataProductAlertEntity } from '../../products/entities/data-product-alert.entity';
import type { DataProductEntity } from '../../products/entities/data-product.entity';
import type { DataProductDraft } from '../../products/product-input';
import { ProductsService } from '../../products/products.service';
import type { DataProductPatch } from '../../products/products.service';
import type { GraphqlContext } from '../graphql-context';
import { UserInputError } from '../graphql-errors';
import {
  ApplyDataProductAccessLevelInput,
  CreateDataProductInput,
  DeleteDataProductInput,
  UpdateDataProductInput,
} from '../inputs/data-product.inputs';
import type { AccessLevelEnum } from '../types/catalog.types';
import { Dataset } from '../types/catalog.types';
import {
  DataProduct,
  DataProductAlert,
  DataProductQuality,
  QualityStatusEnum,
} from '../types/data-product.types';
import { datasetOf, pidArgument } from '../identifier-arguments';

const MAX_PAGE = 100;

/** Data products: listing, lookup, quality, alerts, and declaration by stewards. Thin: decisions live in ProductsService. */
@Resolver(() => DataProduct)
export class DataProductResolver {
  constructor(
    private readonly products: ProductsService,
    private readonly identifiers: IdentifiersService,
  ) {}

  @Query(() => [DataProduct], {
    description:
      'Active data products by key. Everyone may list them; member datasets follow dataset access.',
  })
  async dataProducts(
    @Args('first', { type: () => Int, defaultValue: MAX_PAGE, description: 'At most 100.' })
    first: number,
  ): Promise<DataProduct[]> {
    if (first < 0 || first > MAX_PAGE) {
      throw new UserInputError(`first=${first} is out of range: ask for 0 to ${MAX_PAGE} products`);
    }
    return (await this.products.list(first)).map((product) =>
      toDataProduct(product, this.identifiers),
    );
  }

  @Query(() => DataProduct, {
    nullable: true,
    description: 'A data product by its identifier, deleted ones included; null when unknown.',
  })
  async dataProduct(@Args('id', { type: () => ID }) id: string): Promise<DataProduct | null> {
    const product = await this.products.byPid(pidArgument(this.identifiers, id));
    return product === null ? null : toDataProduct(product, this.identifiers);
  }

  @Query(() => [DataProductAlert], {
    description: 'Contract breach alerts, newest first. Stewards only.',
  })
  async dataProductAlerts(
    @Context() context: GraphqlContext,
    @Args('productId', { type: () => ID, nullable: true }) productId: string | null | undefined,
    @Args('openOnly', { type: () => Boolean, defaultValue: false }) openOnly: boolean,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'At most 100.' })
    first: number,
  ): Promise<DataProductAlert[]> {
    if (first < 0 || first > MAX_PAGE) {
      throw new UserInputError(`first=${first} is out of range: ask for 0 to ${MAX_PAGE} alerts`);
    }
    // An argument left out arrives as undefined, not null.
    const productPid =
      productId === null || productId === undefined
        ? null
        : pidArgument(this.identifiers, productId);
    const alerts = await this.products.alerts(productPid, openOnly, first, context.viewer);
    return alerts.map(({ alert, productPid: pid }) => toAlert(alert, pid));
  }

  @Mutation(() => DataProduct, { description: 'Declare a data product. Stewards only.' })
  async createDataProduct(
    @Context() context: GraphqlContext,
    @Args('input') input: CreateDataProductInput,
  ): Promise<DataProduct> {
    const draft: DataProductDraft = {
      key: input.key,
      title: input.title,
      description: input.description ?? null,
      ownerName: input.ownerName,
      ownerKind: input.ownerKind,
      ownerContact: input.ownerContact ?? null,
      datasets: input.datasets,
      contract: input.contract ?? null,
      qualityRules: input.qualityRules ?? null,
      defaultAccessLevel: input.defaultAccessLevel ?? null,
      webhook: input.webhook ?? null,
    };
    return toDataProduct(await this.products.create(draft, context.viewer), this.identifiers);
  }

  @Mutation(() => DataProduct, {
    description: 'Change a data product; fields left out keep their value. Stewards only.',
  })
  async updateDataProduct(
    @Context() context: GraphqlContext,
    @Args('input') input: UpdateDataProductInput,
  ): Promise<DataProduct> {
    const patch: DataProductPatch = {};
    // Required fields sent as null keep their value; optional ones sent as null are cleared.
    if (input.title !== undefined && input.title !== null) patch.title = input.title;
    if (input.ownerName !== undefined && input.ownerName !== null)
      patch.ownerName = input.ownerName;
    if (input.ownerKind !== undefined && input.ownerKind !== null)
      patch.ownerKind = input.ownerKind;
    if (input.datasets !== undefined && input.datasets !== null) patch.datasets = input.datasets;
    if (input.description !== undefined) patch.description = input.description;
    if (input.ownerContact !== undefined) patch.ownerContact = input.ownerContact;
    if (input.contract !== undefined) patch.contract = input.contract;
    if (input.qualityRules !== undefined) patch.qualityRules = input.qualityRules;
    if (input.defaultAccessLevel !== undefined) patch.defaultAccessLevel = input.defaultAccessLevel;
    if (input.webhook !== undefined) patch.webhook = input.webhook;
    const product = await this.products.update(
      pidArgument(this.identifiers, input.id),
      patch,
      context.viewer,
    );
    return toDataProduct(product, this.identifiers);
  }

  @Mutation(() => DataProduct, {
    description:
      'Delete a data product; its identifier answers with a tombstone and its datasets stay. Stewards only.',
  })
  async deleteDataProduct(
    @Context() context: GraphqlContext,
    @Args('input') input: DeleteDataProductInput,
  ): Promise<DataProduct> {
    const product = await this.products.delete(
      pidArgument(this.identifiers, input.id),
      input.reason,
      context.viewer,
    );
    return toDataProduct(product, this.identifiers);
  }

  @Mutation(() => [ID], {
    description:
      "Set every member dataset to the product's defaultAccessLevel, recorded in each dataset's history. Returns the datasets that changed. Stewards only.",
  })
  async applyDataProductAccessLevel(
    @Context() context: GraphqlContext,
    @Args('input') input: ApplyDataProductAccessLevelInput,
  ): Promise<string[]> {
    return this.products.applyAccessLevel(
      pidArgument(this.identifiers, input.id),
      input.reason,
      context.viewer,
    );
  }

  @ResolveField(() => [Dataset], {
    description: 'Member datasets the viewer may read, by title.',
  })
  async datasets(
    @Context() context: GraphqlContext,
    @Parent() product: DataProduct,
  ): Promise<Dataset[]> {
    const datasets = await this.products.readableMembers(product.internalId, context.viewer);
    return datasets.map((dataset) => datasetOf(this.identifiers, dataset));
  }

  @ResolveField(() => DataProductQuality, {
    description: 'Quality checks on harvested metadata, computed now.',
  })
  async quality(
    @Context() context: GraphqlContext,
    @Parent() product: DataProduct,
  ): Promise<DataProductQuality> {
    const entity = await this.products.byId(product.internalId);
    if (entity === null) {
      throw new UserInputError(`data product ${product.id} not found`, true);
    }
    const quality = await this.products.quality(entity);
    const readable = new Set(
      (await this.products.readableMembers(entity.id, context.viewer)).map(
        (dataset) => dataset.pid,
      ),
    );
    return {
      status: quality.status as QualityStatusEnum,
      evaluatedAt: quality.evaluatedAt,
      checks: quality.checks
        .filter((check) => readable.has(check.datasetPid))
        .map((check) => ({
          check: check.check,
          dataset: check.datasetPid,
          field: check.field,
          status: check.status as QualityStatusEnum,
          evidence: check.evidence,
        })),
    };
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'Webhook URL for contract breach alerts; null without one, and for viewers who are not stewards.',
  })
  webhookUrl(@Context() context: GraphqlContext, @Parent() product: DataProduct): string | null {
    return hasRole(context.viewer, 'steward') ? product.webhookUrlValue : null;
  }
}

/** The products a dataset belongs to, on the Dataset type. */
@Resolver(() => Dataset)
export class DatasetProductsResolver {
  constructor(
    private readonly productsService: ProductsService,
    private readonly identifiers: IdentifiersService,
  ) {}

  @ResolveField(() => [DataProduct], {
    description: 'Active data products the dataset belongs to, by key.',
  })
  async products(@Parent() dataset: Dataset): Promise<DataProduct[]> {
    return (await this.productsService.productsOfDataset(dataset.internalId)).map((product) =>
      toDataProduct(product, this.identifiers),
    );
  }
}

function toDataProduct(product: DataProductEntity, identifiers: IdentifiersService): DataProduct {
  const localId = identifiers.parse(product.pid) ?? product.pid;
  return {
    id: product.pid,
    landingPage: identifiers.resolverUrl(localId),
    key: product.key,
    title: product.title,
    description: product.description,
    owner: { name: product.ownerName, kind: product.ownerKind, contact: product.ownerContact },
    contract: product.contract,
    qualityRules: product.qualityRules,
    defaultAccessLevel: product.defaultAccessLevel as AccessLevelEnum | null,
    status: product.status,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    internalId: product.id,
    webhookUrlValue: product.webhookUrl,
  };
}

function toAlert(alert: DataProductAlertEntity, productPid: string): DataProductAlert {
  return {
    id: alert.id,
    product: productPid,
    dataset: alert.datasetPid,
    breach: alert.breach,
    field: alert.field,
    expected: alert.expected,
    actual: alert.actual,
    run: alert.runPid,
    detectedAt: alert.detectedAt,
    resolvedAt: alert.resolvedAt,
    resolvedRun: alert.resolvedRunPid,
    deliveryStatus: alert.deliveryStatus,
    deliveryAttempts: alert.deliveryAttempts,
    deliveryError: alert.deliveryError,
  };
}
