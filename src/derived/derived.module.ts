import { Module } from '@nestjs/common';

import { CatalogModule } from '../catalog/catalog.module';
import { FabricModule } from '../fabric/fabric.module';
import { DerivedDatasetsService } from './derived-datasets.service';
import { DerivedDatasetResolver } from './graphql/derived-dataset.resolver';

/**
 * Derived datasets: query results saved as datasets with their own
 * identifiers, combined licences and time-bounded re-execution.
 */
@Module({
  imports: [CatalogModule, FabricModule],
  providers: [DerivedDatasetsService, DerivedDatasetResolver],
  exports: [DerivedDatasetsService],
})
export class DerivedModule {}
