import { Module } from '@nestjs/common';

import { CatalogModule } from '../catalog/catalog.module';
import { HarvestModule } from '../harvest/harvest.module';
import { ContractMonitorService } from './contract-monitor.service';
import { ProductsService } from './products.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** Data products: declaration by stewards, quality checks, contract checks after harvests, webhooks. */
@Module({
  imports: [CatalogModule, HarvestModule],
  providers: [ProductsService, ContractMonitorService, WebhookDeliveryService],
  exports: [ProductsService, ContractMonitorService, WebhookDeliveryService],
})
export class ProductsModule {}
