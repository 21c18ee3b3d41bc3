import { Logger } from '@nestjs/common';
import { Client } from 'pg';

import type { HarvestedDataset, HarvestIssue, HarvestSnapshot, Harvester } from '../harvest.types';
import type { PostgresSourceConfig } from '../../sources/source-config.types';
import { PostgresCatalogReader } from './postgres-catalog.reader';
import type { PostgresRelation, TimeColumnRange } from './postgres-catalog.reader';
import { parsePostgresUrl, postgresClientConfig, redactPostgresUrl } from './postgres-connection';
import { buildTableDataset, tableDatasetKey } from './postgres-table-dataset';

export const POSTGRES_HARVESTER_VERSION = 'weft-postgres-harvester/0.1.0';

/** Tuning of the PostgreSQL harvester. */
export interface PostgresHarvesterOptions {
  /** Server-side limit on each statement, including the min/max scans of time columns; default 30 000 ms. */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const DEFAULT_OPTIONS: Required<PostgresHarvesterOptions> = {
  statementTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
};

/** PostgreSQL SQLSTATE classes and codes that concern the whole source rather than one table. */
const SOURCE_LEVEL_SQLSTATES = new Set(['28000', '28P01', '3D000', '57P01', '57P03', '53300']);

/**
 * Harvests the tables and views of a PostgreSQL database's configured
 * schemas from the system catalogs. It reads columns with their types
 * mapped to XSD, nullability, primary and foreign keys, comments as
 * descriptions, the planner's row estimate and the range of each time
 * column. Each table or view becomes one `postgres-table` dataset keyed
 * `<database>/<schema>.<table>`. The session is read-only, and no row is copied.
 */
export class PostgresHarvester implements Harvester {
  readonly kind = 'postgresql' as const;
  private readonly logger = new Logger(PostgresHarvester.name);
  private readonly options: Required<PostgresHarvesterOptions>;

  constructor(
    private readonly config: PostgresSourceConfig,
    options: PostgresHarvesterOptions = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  async harvest(signal: AbortSignal): Promise<HarvestSnapshot> {
    const startedAt = new Date().toISOString();
    const serverUrl = redactPostgresUrl(this.config.url);
    const issues: HarvestIssue[] = [];
    const datasets: HarvestedDataset[] = [];
    const sourceDetails: Record<string, unknown> = { url: serverUrl };
    let complete = true;

    this.logger.log(`harvest of source ${this.config.id} started (${serverUrl})`);

    let client: Client | undefined;
    try {
      client = await this.connect(signal);
      Object.assign(sourceDetails, await readServerFacts(client));
      if (sourceDetails.superuser === true) {
        issues.push({
          severity: 'warning',
          subject: serverUrl,
          message: `source ${this.config.id} connects as a superuser; Weft only reads, so give it a role that holds SELECT only`,
        });
      }
      complete = await this.harvestSchemas(client, signal, issues, datasets);
    } catch (error) {
      issues.push({ severity: 'error', subject: serverUrl, message: this.describe(error) });
      complete = false;
    } finally {
      await client?.end().catch((error: unknown) => {
        this.logger.warn(
          `source ${this.config.id}: closing the connection failed: ${describe(error)}`,
        );
      });
    }

    this.logger.log(
      `harvest of source ${this.config.id} ended: ${datasets.length} datasets, ${issues.length} issues`,
    );
    return {
      sourceId: this.config.id,
      sourceKind: this.kind,
      harvester: POSTGRES_HARVESTER_VERSION,
      startedAt,
      endedAt: new Date().toISOString(),
      sourceDetails,
      datasets,
      issues,
      complete,
    };
  }

  /** Nothing to release: each run opens and closes its own connection. */
  async close(): Promise<void> {}

  private async connect(signal: AbortSignal): Promise<Client> {
    throwIfAborted(signal, this.config.id);
    const client = new Client(
      postgresClientConfig(this.config, {
        statementTimeoutMs: this.options.statementTimeoutMs,
        connectTimeoutMs: this.options.connectTimeoutMs,
        applicationName: POSTGRES_HARVESTER_VERSION,
      }),
    );
    // An error on an idle connection (server restart) must not crash the process.
    client.on('error', (error) => {
      this.logger.warn(`source ${this.config.id}: connection error: ${error.message}`);
    });
    await client.connect();
    return client;
  }

  /** Returns whether the snapshot covers every configured schema completely. */
  private async harvestSchemas(
    client: Client,
    signal: AbortSignal,
    issues: HarvestIssue[],
    datasets: HarvestedDataset[],
  ): Promise<boolean> {
    const reader = new PostgresCatalogReader(client);
    const database = parsePostgresUrl(this.config.url).database;
    let complete = true;

    const usableSchemas: string[] = [];
    for (const schema of await reader.checkSchemas(this.config.schemas)) {
      if (schema.usable) {
        usableSchemas.push(schema.name);
        continue;
      }
      complete = false;
      issues.push({
        severity: 'error',
        subject: `schema ${schema.name}`,
        message: schema.exists
          ? `the role may not use schema ${schema.name}: GRANT USAGE ON SCHEMA ${schema.name} to it`
          : `schema ${schema.name} does not exist in database ${database}: fix the schemas of source ${this.config.id}`,
      });
    }

    const { relations, truncated } = await reader.readRelations(
      usableSchemas,
      this.config.maxTables,
    );
    if (truncated) {
      complete = false;
      issues.push({
        severity: 'error',
        subject: `database ${database}`,
        message:
          `the schemas hold more than ${this.config.maxTables} tables and views; only the first ` +
          `${this.config.maxTables} were harvested (raise maxTables to harvest all)`,
      });
    }

    const writable = relations.filter((relation) => relation.writable).map(qualifiedName);
    if (writable.length > 0) {
      issues.push({
        severity: 'warning',
        subject: `database ${database}`,
        message:
          `the role may change ${writable.length} harvested tables (${writable.slice(0, 5).join(', ')}); ` +
          'Weft only reads, so connect with a role that holds SELECT only',
      });
    }

    for (const relation of relations) {
      throwIfAborted(signal, this.config.id);
      const dataset = await this.harvestRelation(reader, database, relation, issues);
      if (dataset !== undefined) {
        datasets.push(dataset);
      }
    }
    return complete;
  }

  private async harvestRelation(
    reader: PostgresCatalogReader,
    database: string,
    relation: PostgresRelation,
    issues: HarvestIssue[],
  ): Promise<HarvestedDataset | undefined> {
    const subject = tableDatasetKey(database, relation.schema, relation.name);
    if (!relation.readable) {
      issues.push({
        severity: 'warning',
        subject,
        message: `the role may not read ${qualifiedName(relation)}: GRANT SELECT on it to catalogue it`,
      });
      return undefined;
    }

    let timeRanges: TimeColumnRange[] = relation.columns
      .filter((column) => column.isTime)
      .map((column) => ({ name: column.name, sqlType: column.sqlType }));
    try {
      timeRanges = await reader.readTimeRanges(relation);
    } catch (error) {
      if (isSourceLevelError(error)) {
        throw error;
      }
      issues.push({
        severity: 'warning',
        subject,
        message: `reading the range of its time columns failed (${describe(error)}); add an index on them or raise the statement timeout`,
      });
    }

    return buildTableDataset({
      database,
      relation,
      timeRanges,
      serverUrl: redactPostgresUrl(this.config.url),
      ...(this.config.place === undefined ? {} : { place: this.config.place }),
    });
  }

  /** Describe a failure with the fix for the usual causes. */
  private describe(error: unknown): string {
    const code = sqlState(error);
    const serverUrl = redactPostgresUrl(this.config.url);
    if (code === '28P01' || code === '28000') {
      return `PostgreSQL at ${serverUrl} rejected the login (${describe(error)}); check the user name and password of source ${this.config.id}`;
    }
    if (code === '3D000') {
      return `${describe(error)}; fix the database name in the url of source ${this.config.id}`;
    }
    const networkCode = (error as { code?: unknown } | null)?.code;
    if (
      networkCode === 'ECONNREFUSED' ||
      networkCode === 'ENOTFOUND' ||
      networkCode === 'ETIMEDOUT'
    ) {
      return `cannot connect to PostgreSQL at ${serverUrl} (${String(networkCode)}); check that the server runs and the url is right`;
    }
    if (/certificate|self[- ]signed/i.test(describe(error))) {
      return `TLS to ${serverUrl} failed (${describe(error)}); set caFile to the CA certificate that signed the server's certificate`;
    }
    return `PostgreSQL at ${serverUrl}: ${describe(error)}`;
  }
}

function readServerFacts(client: Client): Promise<Record<string, unknown>> {
  return client
    .query<{ database: string; version: string; role: string; superuser: boolean }>(
      `SELECT current_database()::text AS database, current_setting('server_version') AS version,
              current_user::text AS role,
              (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser`,
    )
    .then((result) => {
      const row = result.rows[0];
      return row === undefined
        ? {}
        : {
            database: row.database,
            serverVersion: row.version,
            role: row.role,
            superuser: row.superuser,
          };
    });
}

function isSourceLevelError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && SOURCE_LEVEL_SQLSTATES.has(code);
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function qualifiedName(relation: PostgresRelation): string {
  return `${relation.schema}.${relation.name}`;
}

function throwIfAborted(signal: AbortSignal, sourceId: string): void {
  if (signal.aborted) {
    throw new Error(`harvest of source ${sourceId} was aborted`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
