import { Module } from '@nestjs/common';

import { CatalogModule } from '../catalog/catalog.module';
import { SourcesService } from '../sources/sources.service';
import { HarvestService } from './harvest.service';
import { HarvesterFactory } from './harvester.factory';

@Module({
  imports: [CatalogModule],
  providers: [HarvestService, HarvesterFactory, SourcesService],
  exports: [HarvestService, SourcesService, HarvesterFactory],
})
export class HarvestModule {}
