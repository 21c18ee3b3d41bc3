import { Injectable, Logger } from '@nestjs/common';

import type { SourceSystemEntity } from '../catalog/entities/source-system.entity';

/** Summary of a harvest run that wrote the catalog: what it saw and withdrew. */
export interface HarvestRunWritten {
  source: SourceSystemEntity;
  runPid: string;
  /** Natural keys of the datasets in the run's snapshot. */
  harvestedKeys: string[];
  /** Identifiers of the datasets the run withdrew. */
  withdrawnPids: string[];
  endedAt: Date;
}

export type HarvestRunListener = (run: HarvestRunWritten) => Promise<void>;

/**
 * Listeners called after each harvest run that wrote the catalog, such as
 * the data product contract checks. A listener that throws is logged, and
 * the run and the other listeners go on.
 */
@Injectable()
export class HarvestRunListeners {
  private readonly logger = new Logger(HarvestRunListeners.name);
  private readonly listeners: Array<{ name: string; listener: HarvestRunListener }> = [];

  register(name: string, listener: HarvestRunListener): void {
    this.listeners.push({ name, listener });
  }

  async notify(run: HarvestRunWritten): Promise<void> {
    for (const { name, listener } of this.listeners) {
      try {
        await listener(run);
      } catch (error) {
        this.logger.error({
          msg: 'harvest run listener failed',
          listener: name,
          sourceId: run.source.sourceKey,
          runPid: run.runPid,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
