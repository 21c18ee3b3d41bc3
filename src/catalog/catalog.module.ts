import { Module } from '@nestjs/common';

import { IdentifiersModule } from '../identifiers/identifiers.module';
import { LicencesService } from '../licences/licences.service';
import { SnapshotWriterService } from '../harvest/ingest/snapshot-writer.service';
import { CatalogWriterService } from './catalog-writer.service';
import { CatalogService } from './catalog.service';

@Module({
  imports: [IdentifiersModule],
  providers: [CatalogService, CatalogWriterService, SnapshotWriterService, LicencesService],
  exports: [
    CatalogService,
    CatalogWriterService,
    SnapshotWriterService,
    LicencesService,
    IdentifiersModule,
  ],
})
export class CatalogModule {}
