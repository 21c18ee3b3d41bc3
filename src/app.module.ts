import { Logger, Module } from '@nestjs/common';
import type {
  BeforeApplicationShutdown,
  DynamicModule,
  OnApplicationShutdown,
} from '@nestjs/common';

import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { ConfigModule } from './config/config.module';
import type { WeftConfig } from './config/weft-config';
import { DatabaseModule } from './database/database.module';
import { ExportsModule } from './exports/exports.module';
import { DerivedModule } from './derived/derived.module';
import { FabricModule } from './fabric/fabric.module';
import { FairModule } from './fair/fair.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { HarvestModule } from './harvest/harvest.module';
import { HealthController } from './health/health.controller';
import { LinkedDataModule } from './linked-data/linked-data.module';
import { ReviewModule } from './review/review.module';

/** The Weft service: configuration, database, catalog, harvesters, GraphQL and linked-data endpoints. */
@Module({})
export class AppModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Weft');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'weft stopping', signal: signal ?? 'close' });
  }

  onApplicationShutdown(): void {
    this.logger.log({ msg: 'weft stopped' });
  }

  static forRoot(config: WeftConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        AuthModule,
        CatalogModule,
        HarvestModule,
        GraphqlApiModule,
        FabricModule,
        DerivedModule,
        LinkedDataModule,
        FairModule,
        ReviewModule,
        ExportsModule,
      ],
      controllers: [HealthController],
    };
  }
}
