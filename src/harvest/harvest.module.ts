import { Module } from '@nestjs/common';

import { CatalogModule } from '../catalog/catalog.module';
import { SourcesService } from '../sources/sources.service';
import { HarvestRunListeners } from './harvest-run-listeners';
import { HarvestService } from './harvest.service';
import { HarvesterFactory } from './harvester.factory';

@Module({
  imports: [CatalogModule],
  providers: [HarvestService, HarvesterFactory, SourcesService, HarvestRunListeners],
  exports: [HarvestService, SourcesService, HarvesterFactory, HarvestRunListeners],
})
export class HarvestModule {}
