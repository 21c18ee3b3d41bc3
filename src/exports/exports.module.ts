import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { FabricModule } from '../fabric/fabric.module';
import { DatasetExportService } from './dataset-export.service';
import { DatasetPages } from './dataset-pages';
import { ExportDownloadController } from './export-download.controller';
import { ExportJobsService } from './export-jobs.service';
import { ExportResolver } from './export.resolver';

/**
 * RO-Crate exports of a dataset's time window: the startDatasetExport
 * mutation and datasetExport query, the download endpoint, and the
 * `weft export` command. Data is read through the data fabric.
 */
@Module({
  imports: [AuthModule, CatalogModule, FabricModule],
  providers: [DatasetPages, DatasetExportService, ExportJobsService, ExportResolver],
  controllers: [ExportDownloadController],
  exports: [DatasetExportService],
})
export class ExportsModule {}
