import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';

import { DatasetEntity } from '../catalog/entities/dataset.entity';
import { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import { HarvestRunListeners } from '../harvest/harvest-run-listeners';
import type { HarvestRunWritten } from '../harvest/harvest-run-listeners';
import { breachKey, findBreaches } from './contract-check';
import type { ContractBreach } from './contract-check';
import { DataProductAlertEntity } from './entities/data-product-alert.entity';
import { DataProductMemberEntity } from './entities/data-product-member.entity';
import { DataProductEntity } from './entities/data-product.entity';
import { WebhookDeliveryService } from './webhook-delivery.service';

/**
 * Checks product contracts after each harvest run that wrote the catalog.
 * It compares the contract of every active product that has member datasets
 * the run saw or withdrew with their new harvested metadata. Each new breach
 * becomes an alert with the run's identifier, and alerts whose breach is
 * gone are resolved. New alerts go to the webhook delivery, which runs in
 * the background.
 */
@Injectable()
export class ContractMonitorService implements OnModuleInit {
  private readonly logger = new Logger(ContractMonitorService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly listeners: HarvestRunListeners,
    private readonly webhooks: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.listeners.register('data product contract checks', (run) => this.checkRun(run));
  }

  async checkRun(run: HarvestRunWritten): Promise<void> {
    const touched = await this.touchedDatasets(run);
    if (touched.length === 0) {
      return;
    }
    const memberships = await this.dataSource.getRepository(DataProductMemberEntity).find({
      where: { datasetId: In(touched.map((dataset) => dataset.id)) },
    });
    if (memberships.length === 0) {
      return;
    }
    const products = await this.dataSource.getRepository(DataProductEntity).find({
      where: {
        id: In([...new Set(memberships.map((member) => member.productId))]),
        status: 'active',
      },
    });
    const properties = await this.propertiesOf(touched.map((dataset) => dataset.id));

    const newAlerts: string[] = [];
    for (const product of products) {
      const memberIds = new Set(
        memberships.filter((member) => member.productId === product.id).map((m) => m.datasetId),
      );
      const datasets = touched.filter((dataset) => memberIds.has(dataset.id));
      const breaches = datasets.flatMap((dataset) =>
        findBreaches(product.contract, {
          dataset,
          properties: properties.get(dataset.id) ?? [],
        }),
      );
      newAlerts.push(
        ...(await this.record(
          product,
          datasets.map((dataset) => dataset.pid),
          breaches,
          run,
        )),
      );
    }
    if (newAlerts.length > 0) {
      this.webhooks.enqueue(newAlerts);
    }
  }

  /** Datasets of the run's source that its snapshot held or that it withdrew. */
  private async touchedDatasets(run: HarvestRunWritten): Promise<DatasetEntity[]> {
    if (run.harvestedKeys.length === 0 && run.withdrawnPids.length === 0) {
      return [];
    }
    const repository = this.dataSource.getRepository(DatasetEntity);
    const seen =
      run.harvestedKeys.length === 0
        ? []
        : await repository.find({
            where: { sourceId: run.source.id, naturalKey: In(run.harvestedKeys) },
          });
    const withdrawn =
      run.withdrawnPids.length === 0
        ? []
        : await repository.find({ where: { pid: In(run.withdrawnPids) } });
    return [...seen, ...withdrawn];
  }

  /**
   * Store the breaches that have no open alert yet, and resolve the open
   * alerts of the checked datasets that the run no longer finds. Returns the
   * ids of the new alerts.
   */
  private async record(
    product: DataProductEntity,
    checkedPids: string[],
    breaches: ContractBreach[],
    run: HarvestRunWritten,
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const alerts = manager.getRepository(DataProductAlertEntity);
      const open = await alerts.find({
        where: { productId: product.id, datasetPid: In(checkedPids), resolvedAt: IsNull() },
      });
      const openKeys = new Set(open.map((alert) => breachKey(alert)));
      const currentKeys = new Set(breaches.map((breach) => breachKey(breach)));

      const resolved = open.filter((alert) => !currentKeys.has(breachKey(alert)));
      if (resolved.length > 0) {
        await alerts.update(
          { id: In(resolved.map((alert) => alert.id)) },
          { resolvedAt: run.endedAt, resolvedRunPid: run.runPid },
        );
      }

      const created: string[] = [];
      for (const breach of breaches) {
        if (openKeys.has(breachKey(breach))) {
          continue;
        }
        const id = crypto.randomUUID();
        await alerts.insert({
          id,
          productId: product.id,
          ...breach,
          runPid: run.runPid,
          detectedAt: run.endedAt,
          resolvedAt: null,
          resolvedRunPid: null,
          deliveryStatus: product.webhookUrl === null ? 'no-webhook' : 'pending',
          deliveryAttempts: 0,
          deliveredAt: null,
          deliveryError: null,
        });
        created.push(id);
        this.logger.warn({
          msg: 'data product contract breached',
          productPid: product.pid,
          datasetPid: breach.datasetPid,
          breach: breach.breach,
          field: breach.field,
          runPid: run.runPid,
        });
      }
      if (resolved.length > 0) {
        this.logger.log({
          msg: 'data product contract breaches resolved',
          productPid: product.pid,
          resolved: resolved.length,
          runPid: run.runPid,
        });
      }
      return product.webhookUrl === null ? [] : created;
    });
  }

  private async propertiesOf(
    datasetIds: string[],
  ): Promise<Map<string, ObservablePropertyEntity[]>> {
    const byDataset = new Map<string, ObservablePropertyEntity[]>();
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
