import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';

import { postgresClientConfig } from '../../harvest/postgres/postgres-connection';
import type { PostgresSourceConfig } from '../../sources/source-config.types';
import { canonicalJson } from '../cursor';

export const FABRIC_APPLICATION_NAME = 'weft-fabric';

/** Connections per PostgreSQL source; queries beyond it wait for a free one. */
const POOL_SIZE = 4;

/**
 * One connection pool per PostgreSQL source, opened on first use and
 * replaced when the source's configuration changes. Sessions are read-only
 * and each statement carries the request's time budget.
 */
@Injectable()
export class PostgresPools implements OnModuleDestroy {
  private readonly logger = new Logger(PostgresPools.name);
  private readonly pools = new Map<string, { pool: Pool; configKey: string }>();

  /** The pool of a source, created with the upper bound on statement time as its default. */
  poolFor(config: PostgresSourceConfig, maxStatementMs: number): Pool {
    const configKey = canonicalJson(config);
    const existing = this.pools.get(config.id);
    if (existing !== undefined && existing.configKey === configKey) {
      return existing.pool;
    }
    if (existing !== undefined) {
      this.retire(config.id, existing.pool);
    }

    const pool = new Pool({
      ...postgresClientConfig(config, {
        statementTimeoutMs: maxStatementMs,
        connectTimeoutMs: 10_000,
        applicationName: FABRIC_APPLICATION_NAME,
      }),
      max: POOL_SIZE,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that the server closes must not crash the process.
    pool.on('error', (error) => {
      this.logger.warn({
        msg: 'idle PostgreSQL connection failed',
        source: config.id,
        error: error.message,
      });
    });
    this.pools.set(config.id, { pool, configKey });
    this.logger.log({ msg: 'PostgreSQL pool opened', source: config.id });
    return pool;
  }

  async onModuleDestroy(): Promise<void> {
    const pools = [...this.pools.entries()];
    this.pools.clear();
    await Promise.all(pools.map(([, entry]) => entry.pool.end()));
  }

  private retire(sourceId: string, pool: Pool): void {
    this.pools.delete(sourceId);
    pool.end().catch((error: unknown) => {
      this.logger.warn({
        msg: 'closing a replaced PostgreSQL pool failed',
        source: sourceId,
        error: String(error),
      });
    });
  }
}
