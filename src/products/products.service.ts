import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import type { EntityManager } from 'typeorm';

import { mayReadDataset } from '../auth/dataset-access';
import { actorName, hasRole } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { DatasetEntity } from '../catalog/entities/dataset.entity';
import { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { LicencesService } from '../licences/licences.service';
import { DataProductAlertEntity } from './entities/data-product-alert.entity';
import { DataProductMemberEntity } from './entities/data-product-member.entity';
import { DataProductEntity } from './entities/data-product.entity';
import type { DataProductDraft } from './product-input';
import {
  checkDatasetCount,
  optionalText,
  validContract,
  validKey,
  validOwnerKind,
  validQualityRules,
  validText,
  validWebhook,
} from './product-input';
import { ProductError } from './products.error';
import { checkMember, worstStatus } from './quality-checks';
import type { QualityCheckResult, QualityStatus } from './quality-checks';
import { WeftConfigService } from '../config/weft-config.service';

/** Changes to a product; fields left undefined keep their value, and null clears optional ones. */
export type DataProductPatch = Partial<Omit<DataProductDraft, 'key'>>;

/** A product's quality: the worst status of its checks, with every check and when it ran. */
export interface ProductQuality {
  status: QualityStatus;
  evaluatedAt: Date;
  checks: QualityCheckResult[];
}

/**
 * Declares data products and reads them: stewards create, change and delete
 * them; everyone may list them. A product's member datasets are handed out
 * only where mayReadDataset allows, as for every other path to a dataset.
 */
@Injectable()
export class ProductsService {
  private readonly logger = new Logger(ProductsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifiersService,
    private readonly licences: LicencesService,
    private readonly config: WeftConfigService,
  ) {}

  async list(limit: number): Promise<DataProductEntity[]> {
    return this.dataSource.getRepository(DataProductEntity).find({
      where: { status: 'active' },
      order: { key: 'ASC' },
      take: limit,
    });
  }

  /** Find a product by its full identifier, deleted ones included. */
  async byPid(pid: string): Promise<DataProductEntity | null> {
    return this.dataSource.getRepository(DataProductEntity).findOne({ where: { pid } });
  }

  async byId(id: string): Promise<DataProductEntity | null> {
    return this.dataSource.getRepository(DataProductEntity).findOne({ where: { id } });
  }

  /** List the active products a dataset belongs to, by key. */
  async productsOfDataset(datasetId: string): Promise<DataProductEntity[]> {
    return this.dataSource
      .getRepository(DataProductEntity)
      .createQueryBuilder('product')
      .innerJoin(DataProductMemberEntity, 'member', 'member.product_id = product.id')
      .where('member.dataset_id = :datasetId', { datasetId })
      .andWhere("product.status = 'active'")
      .orderBy('product.product_key', 'ASC')
      .getMany();
  }

  /** List every member dataset, whatever its access level; callers filter with {@link readableMembers}. */
  async membersOf(productId: string): Promise<DatasetEntity[]> {
    const members = await this.dataSource
      .getRepository(DataProductMemberEntity)
      .find({ where: { productId } });
    if (members.length === 0) {
      return [];
    }
    return this.dataSource.getRepository(DatasetEntity).find({
      where: { id: In(members.map((member) => member.datasetId)) },
      order: { title: 'ASC' },
    });
  }

  /** List the member datasets that mayReadDataset lets the viewer read. */
  async readableMembers(productId: string, viewer: Viewer): Promise<DatasetEntity[]> {
    const now = new Date();
    return (await this.membersOf(productId)).filter((dataset) =>
      mayReadDataset(viewer, dataset, now),
    );
  }

  async create(draft: DataProductDraft, viewer: Viewer): Promise<DataProductEntity> {
    requireSteward(viewer, 'create data products');
    const key = validKey(draft.key);

    return this.dataSource.transaction(async (manager) => {
      const products = manager.getRepository(DataProductEntity);
      if ((await products.findOne({ where: { key, status: 'active' } })) !== null) {
        throw new ProductError(
          'INVALID',
          `a data product with key "${key}" exists: choose another key or update that product`,
        );
      }
      checkDatasetCount(draft.datasets);
      const datasets = await this.findDatasets(manager, draft.datasets);
      const memberPids = new Set(datasets.map((dataset) => dataset.pid));
      const webhook = validWebhook(draft.webhook, this.config.value.webhookSecretsDir);

      const id = crypto.randomUUID();
      const pid = await this.identifiers.mint(manager, 'data-product', id);
      await products.insert({
        id,
        pid,
        key,
        title: validText(draft.title, 'title', 200),
        description: optionalText(draft.description, 'description', 4000),
        ownerName: validText(draft.ownerName, 'ownerName', 200),
        ownerKind: validOwnerKind(draft.ownerKind),
        ownerContact: optionalText(draft.ownerContact, 'ownerContact', 200),
        contract: validContract(draft.contract, memberPids, (text) => this.pidOf(text)),
        qualityRules: validQualityRules(draft.qualityRules),
        defaultAccessLevel: draft.defaultAccessLevel ?? null,
        webhookUrl: webhook?.url ?? null,
        webhookSecretRef: webhook?.secret ?? null,
        status: 'active',
        createdBy: actorName(viewer),
        deletedAt: null,
      });
      await this.replaceMembers(manager, id, datasets);
      this.logger.log({
        msg: 'data product created',
        productPid: pid,
        key,
        datasets: datasets.length,
        by: actorName(viewer),
      });
      return products.findOneOrFail({ where: { id } });
    });
  }

  async update(pid: string, patch: DataProductPatch, viewer: Viewer): Promise<DataProductEntity> {
    requireSteward(viewer, 'change data products');

    return this.dataSource.transaction(async (manager) => {
      const products = manager.getRepository(DataProductEntity);
      const product = await this.activeProduct(manager, pid);
      const fields: Partial<DataProductEntity> = {};

      let memberPids = new Set((await this.membersIn(manager, product.id)).map((d) => d.pid));
      if (patch.datasets !== undefined) {
        checkDatasetCount(patch.datasets);
        const datasets = await this.findDatasets(manager, patch.datasets);
        await this.replaceMembers(manager, product.id, datasets);
        memberPids = new Set(datasets.map((dataset) => dataset.pid));
      }
      if (patch.title !== undefined) {
        fields.title = validText(patch.title, 'title', 200);
      }
      if (patch.description !== undefined) {
        fields.description = optionalText(patch.description, 'description', 4000);
      }
      if (patch.ownerName !== undefined) {
        fields.ownerName = validText(patch.ownerName, 'ownerName', 200);
      }
      if (patch.ownerKind !== undefined) {
        fields.ownerKind = validOwnerKind(patch.ownerKind);
      }
      if (patch.ownerContact !== undefined) {
        fields.ownerContact = optionalText(patch.ownerContact, 'ownerContact', 200);
      }
      if (patch.contract !== undefined) {
        fields.contract = validContract(patch.contract, memberPids, (text) => this.pidOf(text));
      } else if (patch.datasets !== undefined) {
        // Fields bound to a dataset that left the product would never be checked again.
        const orphan = product.contract.fields.find(
          (field) => field.dataset !== null && !memberPids.has(field.dataset),
        );
        if (orphan !== undefined) {
          throw new ProductError(
            'INVALID',
            `contract field "${orphan.name}" names dataset ${orphan.dataset}, which the new datasets list leaves out: send a contract without it, or keep the dataset`,
          );
        }
      }
      if (patch.qualityRules !== undefined) {
        fields.qualityRules = validQualityRules(patch.qualityRules);
      }
      if (patch.defaultAccessLevel !== undefined) {
        fields.defaultAccessLevel = patch.defaultAccessLevel;
      }
      if (patch.webhook !== undefined) {
        const webhook = validWebhook(patch.webhook, this.config.value.webhookSecretsDir);
        fields.webhookUrl = webhook?.url ?? null;
        fields.webhookSecretRef = webhook?.secret ?? null;
      }

      if (Object.keys(fields).length > 0) {
        await products.update({ id: product.id }, fields);
      }
      this.logger.log({
        msg: 'data product updated',
        productPid: product.pid,
        fields: [...Object.keys(fields), ...(patch.datasets === undefined ? [] : ['datasets'])],
        by: actorName(viewer),
      });
      return products.findOneOrFail({ where: { id: product.id } });
    });
  }

  /** Delete a product. Its identifier then resolves to a tombstone, and its datasets stay in the catalog. */
  async delete(pid: string, reason: string, viewer: Viewer): Promise<DataProductEntity> {
    requireSteward(viewer, 'delete data products');
    const trimmedReason = validText(reason, 'reason', 1000);

    return this.dataSource.transaction(async (manager) => {
      const product = await this.activeProduct(manager, pid);
      await manager
        .getRepository(DataProductEntity)
        .update({ id: product.id }, { status: 'deleted', deletedAt: new Date() });
      await manager.getRepository(DataProductMemberEntity).delete({ productId: product.id });
      await this.identifiers.withdraw(manager, 'data-product', product.id, {
        type: 'dprod:DataProduct',
        title: product.title,
        naturalKey: product.key,
        reason: trimmedReason,
      });
      this.logger.log({
        msg: 'data product deleted',
        productPid: product.pid,
        by: actorName(viewer),
      });
      return manager.getRepository(DataProductEntity).findOneOrFail({ where: { id: product.id } });
    });
  }

  /**
   * Apply the product's proposed access level to every member dataset,
   * through the same curation path as setDatasetAccessLevel, so each change
   * is in the dataset's history. Returns the identifiers of the datasets
   * whose level changed.
   */
  async applyAccessLevel(pid: string, reason: string, viewer: Viewer): Promise<string[]> {
    requireSteward(viewer, 'apply a data product access level');
    const product = await this.activeProduct(this.dataSource.manager, pid);
    const level = product.defaultAccessLevel;
    if (level === null) {
      throw new ProductError(
        'INVALID',
        `data product ${product.pid} proposes no access level: set defaultAccessLevel first`,
      );
    }
    const historyReason = `${validText(reason, 'reason', 1000)} (data product ${product.key})`;
    const changed: string[] = [];
    for (const dataset of await this.membersOf(product.id)) {
      if (dataset.accessLevel === level) {
        continue;
      }
      await this.licences.setAccessLevel(dataset.pid, level, historyReason, viewer);
      changed.push(dataset.pid);
    }
    this.logger.log({
      msg: 'data product access level applied',
      productPid: product.pid,
      accessLevel: level,
      changed: changed.length,
      by: actorName(viewer),
    });
    return changed;
  }

  /** Run the quality checks on the harvested metadata of every member dataset. */
  async quality(product: DataProductEntity, now: Date = new Date()): Promise<ProductQuality> {
    const datasets = await this.membersOf(product.id);
    const properties = await this.propertiesOf(datasets.map((dataset) => dataset.id));
    const openAlerts = await this.dataSource.getRepository(DataProductAlertEntity).find({
      where: { productId: product.id, resolvedAt: IsNull() },
    });

    const checks: QualityCheckResult[] = [];
    for (const dataset of datasets) {
      checks.push(
        ...checkMember(
          product.contract,
          product.qualityRules,
          {
            dataset,
            properties: properties.get(dataset.id) ?? [],
            openBreaches: openAlerts
              .filter((alert) => alert.datasetPid === dataset.pid)
              .map((alert) => `${alert.breach} ${alert.field ?? ''}`.trim())
              .sort(),
          },
          now,
        ),
      );
    }
    return { status: worstStatus(checks.map((check) => check.status)), evaluatedAt: now, checks };
  }

  /**
   * Contract breach alerts, newest first, of one product (by identifier) or
   * of all. Stewards only: alerts name datasets and fields.
   */
  async alerts(
    productPid: string | null,
    openOnly: boolean,
    limit: number,
    viewer: Viewer,
  ): Promise<Array<{ alert: DataProductAlertEntity; productPid: string }>> {
    requireSteward(viewer, 'read data product alerts');
    let productId: string | null = null;
    if (productPid !== null) {
      const product = await this.byPid(productPid);
      if (product === null) {
        throw new ProductError(
          'NOT_FOUND',
          `data product ${productPid} not found: list products with the dataProducts query`,
        );
      }
      productId = product.id;
    }

    const alerts = await this.dataSource.getRepository(DataProductAlertEntity).find({
      where: {
        ...(productId === null ? {} : { productId }),
        ...(openOnly ? { resolvedAt: IsNull() } : {}),
      },
      order: { detectedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
    const productIds = [...new Set(alerts.map((alert) => alert.productId))];
    const products =
      productIds.length === 0
        ? []
        : await this.dataSource
            .getRepository(DataProductEntity)
            .find({ where: { id: In(productIds) }, select: { id: true, pid: true } });
    const pids = new Map(products.map((product) => [product.id, product.pid]));
    return alerts.map((alert) => ({ alert, productPid: pids.get(alert.productId) ?? '' }));
  }

  /** Full identifier of a dataset or product given as identifier, resolver URL or local id. */
  pidOf(text: string): string | undefined {
    const localId = this.identifiers.parse(text);
    return localId === undefined ? undefined : this.identifiers.toPid(localId);
  }

  private async activeProduct(manager: EntityManager, pid: string): Promise<DataProductEntity> {
    const product = await manager
      .getRepository(DataProductEntity)
      .findOne({ where: { pid, status: 'active' } });
    if (product === null) {
      throw new ProductError(
        'NOT_FOUND',
        `data product ${pid} not found: list products with the dataProducts query`,
      );
    }
    return product;
  }

  private async findDatasets(manager: EntityManager, ids: string[]): Promise<DatasetEntity[]> {
    const pids = ids.map((text, index) => {
      const pid = this.pidOf(text);
      if (pid === undefined) {
        throw new ProductError(
          'INVALID',
          `datasets[${index}] "${text}" is not a Weft identifier: check it for typing errors (its last character is a check character)`,
        );
      }
      return pid;
    });
    const unique = [...new Set(pids)];
    const found =
      unique.length === 0
        ? []
        : await manager.getRepository(DatasetEntity).find({ where: { pid: In(unique) } });
    const foundPids = new Set(found.map((dataset) => dataset.pid));
    const missing = unique.find((pid) => !foundPids.has(pid));
    if (missing !== undefined) {
      throw new ProductError(
        'NOT_FOUND',
        `dataset ${missing} not found: check the identifier with the dataset query`,
      );
    }
    return found;
  }

  private async membersIn(manager: EntityManager, productId: string): Promise<DatasetEntity[]> {
    const members = await manager
      .getRepository(DataProductMemberEntity)
      .find({ where: { productId } });
    if (members.length === 0) {
      return [];
    }
    return manager
      .getRepository(DatasetEntity)
      .find({ where: { id: In(members.map((member) => member.datasetId)) } });
  }

  private async replaceMembers(
    manager: EntityManager,
    productId: string,
    datasets: DatasetEntity[],
  ): Promise<void> {
    const repository = manager.getRepository(DataProductMemberEntity);
    await repository.delete({ productId });
    if (datasets.length > 0) {
      await repository.insert(datasets.map((dataset) => ({ productId, datasetId: dataset.id })));
    }
  }

  private async propertiesOf(
    datasetIds: string[],
  ): Promise<Map<string, ObservablePropertyEntity[]>> {
    const byDataset = new Map<string, ObservablePropertyEntity[]>();
    if (datasetIds.length === 0) {
      return byDataset;
    }
    const rows = await this.dataSource
      .getRepository(ObservablePropertyEntity)
      .find({ where: { datasetId: In(datasetIds) } });
    for (const row of rows) {
      const list = byDataset.get(row.datasetId) ?? [];
      list.push(row);
      byDataset.set(row.datasetId, list);
    }
    return byDataset;
  }
}

function requireSteward(viewer: Viewer, action: string): void {
  if (viewer.subject === null) {
    throw new ProductError(
      'UNAUTHENTICATED',
      `anonymous requests cannot ${action}: sign in with an account that has the steward role`,
    );
  }
  if (!hasRole(viewer, 'steward')) {
    throw new ProductError(
      'FORBIDDEN',
      `only data stewards may ${action}: this account lacks the steward role`,
    );
  }
}
