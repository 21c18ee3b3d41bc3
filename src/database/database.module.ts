import { Global, Logger, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { WeftConfigService } from '../config/weft-config.service';
import { createDataSource } from './data-source.factory';

/**
 * Opens the catalog database and applies pending migrations before any
 * other module starts, so the schema always matches the code that runs.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [WeftConfigService],
      useFactory: async (config: WeftConfigService): Promise<DataSource> => {
        const logger = new Logger('Database');
        const dataSource = createDataSource(config.value);
        await dataSource.initialize();
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        logger.log({
          msg: 'database ready',
          engine: config.value.databaseUrl === null ? 'pglite' : 'postgresql',
          migrationsApplied: applied.map((migration) => migration.name),
        });
        return dataSource;
      },
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
