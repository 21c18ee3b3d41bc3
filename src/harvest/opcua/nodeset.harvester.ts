import { Logger } from '@nestjs/common';

import type { OpcuaNodesetSourceConfig } from '../../sources/source-config.types';
import type { Harvester, HarvestSnapshot } from '../harvest.types';
import type { OpcuaLogger } from './opcua-logger';
import { importNodeSets } from './nodeset-importer';

/**
 * Harvester for `opcua-nodeset` sources: imports the configured NodeSet2
 * files offline. It keeps no connection, so `close()` has nothing to do.
 * This module does not load node-opcua.
 */
export class NodesetHarvester implements Harvester {
  readonly kind = 'opcua-nodeset' as const;
  private readonly logger: OpcuaLogger;

  constructor(
    private readonly config: OpcuaNodesetSourceConfig,
    options: { logger?: OpcuaLogger } = {},
  ) {
    this.logger = options.logger ?? new Logger(NodesetHarvester.name);
  }

  async harvest(signal: AbortSignal): Promise<HarvestSnapshot> {
    return importNodeSets({
      sourceId: this.config.id,
      files: this.config.files,
      signal,
      logger: this.logger,
      ...(this.config.place === undefined ? {} : { place: this.config.place }),
    });
  }

  async close(): Promise<void> {
    return Promise.resolve();
  }
}
