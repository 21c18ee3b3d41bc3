import { Module } from '@nestjs/common';

import { CatalogModule } from '../catalog/catalog.module';
import { HarvestModule } from '../harvest/harvest.module';
import { FabricCatalog } from './catalog/fabric-catalog.service';
import { FABRIC_SETTINGS_TOKEN, loadFabricSettings } from './fabric-settings';
import { FabricQueryRunner } from './fabric-query.runner';
import { DataQueryResolver } from './graphql/data-query.resolver';
import { FabricDatasetResolver } from './graphql/fabric-dataset.resolver';
import { ObservationsService } from './influx/observations.service';
import { SeriesJoinService } from './join/series-join.service';
import { PostgresPools } from './postgres/postgres-pools.service';
import { RowsService } from './postgres/rows.service';
import { FabricQueryRecorder } from './provenance/fabric-query-recorder.service';

/**
 * The data fabric: queries over the catalogued datasets' own sources
 * (InfluxDB, PostgreSQL), pushed down with bound parameters, joined across
 * sources, and recorded as PROV-O activities. No data is stored by Weft.
 */
@Module({
  imports: [CatalogModule, HarvestModule],
  providers: [
    { provide: FABRIC_SETTINGS_TOKEN, useFactory: () => loadFabricSettings(process.env) },
    FabricCatalog,
    FabricQueryRecorder,
    FabricQueryRunner,
    PostgresPools,
    ObservationsService,
    RowsService,
    SeriesJoinService,
    FabricDatasetResolver,
    DataQueryResolver,
  ],
  exports: [
    FabricQueryRecorder,
    FABRIC_SETTINGS_TOKEN,
    FabricCatalog,
    ObservationsService,
    RowsService,
    SeriesJoinService,
  ],
})
export class FabricModule {}
