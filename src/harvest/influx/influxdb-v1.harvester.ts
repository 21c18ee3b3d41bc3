import { Logger } from '@nestjs/common';

import type {
  HarvestedDataset,
  HarvestedDistribution,
  HarvestSnapshot,
  Harvester,
} from '../harvest.types';
import { resolveSecret } from '../../sources/secrets';
import type { InfluxV1SourceConfig } from '../../sources/source-config.types';
import {
  DEFAULT_INFLUX_HARVESTER_OPTIONS,
  HarvestRunRecord,
  mapWithConcurrency,
  isSourceLevelError,
  throwIfAborted,
} from './influx-harvest-run';
import type { InfluxHarvesterOptions } from './influx-harvest-run';
import { describeError } from './influx-harvest.error';
import { buildMeasurementDataset, measurementDatasetKey } from './influx-measurement-dataset';
import { redactUrlText } from './influx-url';
import { InfluxqlClient } from './influxql-client';
import type { InfluxqlAuth, InfluxServerInfo } from './influxql-client';
import { qualifiedMeasurement } from './influxql-quote';
import { InfluxqlSchemaReader } from './influxql-schema-reader';
import type { RetentionPolicyInfo } from './influxql-schema-reader';

export const INFLUX_V1_HARVESTER_VERSION = 'weft-influxdb-v1-harvester/0.1.0';

/** The monitoring database InfluxDB 1.x writes about itself; harvested only when configured by name. */
const INTERNAL_DATABASE = '_internal';

/**
 * Harvests an InfluxDB through InfluxQL on the v1-compatible HTTP API, which
 * InfluxDB 1.x, 2.x (with DBRP mappings) and 3 serve. Each database and
 * measurement becomes one dataset, with fields as properties, tag keys with
 * their cardinality, retention policies and the first and last timestamps.
 */
export class InfluxV1Harvester implements Harvester {
  readonly kind = 'influxdb-v1' as const;
  private readonly logger = new Logger(InfluxV1Harvester.name);
  private readonly options: Required<InfluxHarvesterOptions>;

  constructor(
    private readonly config: InfluxV1SourceConfig,
    options: InfluxHarvesterOptions = {},
  ) {
    this.options = { ...DEFAULT_INFLUX_HARVESTER_OPTIONS, ...options };
  }

  async harvest(signal: AbortSignal): Promise<HarvestSnapshot> {
    const startedAt = new Date().toISOString();
    const run = new HarvestRunRecord(this.logger, this.config.id);
    const datasets: HarvestedDataset[] = [];
    const sourceDetails: Record<string, unknown> = { url: redactUrlText(this.config.url) };

    this.logger.log(
      `harvest of source ${this.config.id} started (${redactUrlText(this.config.url)})`,
    );

    try {
      const client = this.createClient();
      const server = await client.ping(signal);
      Object.assign(sourceDetails, describeServer(server));

      const reader = new InfluxqlSchemaReader(client, {
        maxMeasurements: this.options.maxMeasurements,
        maxTagValuesCounted: this.options.maxTagValuesCounted,
        useCardinalityStatements: supportsCardinalityStatements(server.version),
      });

      const databases = await this.selectDatabases(reader, signal);
      sourceDetails.databases = databases;
      const retentionPolicies: Record<string, RetentionPolicyInfo[]> = {};
      sourceDetails.retentionPolicies = retentionPolicies;

      for (const database of databases) {
        throwIfAborted(signal, `source ${this.config.id}`);
        await this.harvestDatabase(
          client,
          reader,
          database,
          signal,
          run,
          datasets,
          retentionPolicies,
        );
      }
    } catch (error) {
      run.fail(redactUrlText(this.config.url), describeError(error));
    }

    return run.finish({
      sourceKind: this.kind,
      harvester: INFLUX_V1_HARVESTER_VERSION,
      startedAt,
      sourceDetails,
      datasets,
    });
  }

  /** Nothing to release: every request opens and closes its own connection. */
  async close(): Promise<void> {}

  private createClient(): InfluxqlClient {
    return new InfluxqlClient({
      url: this.config.url,
      auth: this.resolveAuth(),
      caFile: this.config.caFile,
      timeoutMs: this.options.requestTimeoutMs,
    });
  }

  /**
   * Choose the credentials. A user name selects basic authentication
   * (InfluxDB 1.x, or v1 credentials on 2.x). A password without a user name
   * is sent as an API token, which InfluxDB 2.x and 3 accept on the
   * v1-compatible API.
   */
  private resolveAuth(): InfluxqlAuth {
    const secret = resolveSecret(this.config.password, `source ${this.config.id}`);

    if (this.config.username !== undefined && this.config.username !== '') {
      return { kind: 'basic', username: this.config.username, password: secret ?? '' };
    }
    if (secret !== undefined) {
      return { kind: 'token', token: secret };
    }
    return { kind: 'none' };
  }

  private async selectDatabases(
    reader: InfluxqlSchemaReader,
    signal: AbortSignal,
  ): Promise<string[]> {
    if (this.config.databases.length > 0) {
      return [...this.config.databases];
    }

    const visible = await reader.listDatabases(signal);
    return visible.filter((name) => name !== INTERNAL_DATABASE);
  }

  private async harvestDatabase(
    client: InfluxqlClient,
    reader: InfluxqlSchemaReader,
    database: string,
    signal: AbortSignal,
    run: HarvestRunRecord,
    datasets: HarvestedDataset[],
    retentionPolicies: Record<string, RetentionPolicyInfo[]>,
  ): Promise<void> {
    let policies: RetentionPolicyInfo[];
    let measurements: { names: string[]; truncated: boolean };
    try {
      policies = await reader.listRetentionPolicies(database, signal);
      measurements = await reader.listMeasurements(database, signal);
    } catch (error) {
      if (isSourceLevelError(error)) {
        throw error;
      }
      run.fail(
        `database ${database}`,
        `${describeError(error)}; check that database ${database} exists and the user may read it`,
      );
      return;
    }

    retentionPolicies[database] = policies;
    if (measurements.truncated) {
      run.fail(
        `database ${database}`,
        `database ${database} has more than ${this.options.maxMeasurements} measurements; only the first ` +
          `${this.options.maxMeasurements} were harvested (raise maxMeasurements to harvest all)`,
      );
    }

    // Slots keep the datasets in measurement order, and the finished ones
    // survive when a source-level error ends the run midway.
    const slots: (HarvestedDataset | undefined)[] = [];
    try {
      await mapWithConcurrency(
        [...measurements.names.entries()],
        this.options.concurrency,
        async ([index, name]) => {
          throwIfAborted(signal, `source ${this.config.id}`);
          slots[index] = await this.harvestMeasurement(
            client,
            reader,
            database,
            name,
            policies,
            signal,
            run,
          );
        },
      );
    } finally {
      datasets.push(...slots.filter((dataset) => dataset !== undefined));
    }
  }

  private async harvestMeasurement(
    client: InfluxqlClient,
    reader: InfluxqlSchemaReader,
    database: string,
    measurement: string,
    policies: RetentionPolicyInfo[],
    signal: AbortSignal,
    run: HarvestRunRecord,
  ): Promise<HarvestedDataset | undefined> {
    const subject = measurementDatasetKey(database, measurement);

    if (measurement.includes('\uFFFD')) {
      run.warn(
        subject,
        'the measurement name contains U+FFFD: InfluxDB stored bytes that are not valid UTF-8 and replaced ' +
          'them in its answer, so statements that name this measurement cannot match it',
      );
    }

    try {
      const policyNames = policies.map((policy) => policy.name);
      const inspection = await reader.inspectMeasurement(
        database,
        measurement,
        policyNames,
        signal,
      );
      for (const warning of inspection.warnings) {
        run.warn(subject, warning);
      }

      const defaultPolicy = policies.find((policy) => policy.default);
      const queryPolicy = pickQueryPolicy(defaultPolicy, inspection.retentionPoliciesWithData);

      return buildMeasurementDataset({
        schema: inspection.schema,
        containerLabel: 'database',
        serverUrl: redactUrlText(this.config.url),
        place: this.config.place,
        distributions: [influxqlDistribution(client, database, queryPolicy, measurement)],
        details: {
          database,
          retentionPolicies: policies.map((policy) => ({
            ...policy,
            hasData: inspection.retentionPoliciesWithData.includes(policy.name),
          })),
          defaultRetentionPolicy: defaultPolicy?.name,
          defaultRetentionDuration: defaultPolicy?.duration,
          defaultRetentionSeconds: defaultPolicy?.durationSeconds,
        },
      });
    } catch (error) {
      if (isSourceLevelError(error)) {
        throw error;
      }
      run.fail(subject, describeError(error));
      return undefined;
    }
  }
}

/**
 * Tell whether a server has `SHOW TAG VALUES CARDINALITY` (InfluxDB 1.4 and
 * later). An unknown version is assumed to have it; the reader falls back to
 * counting when a server rejects the statement.
 */
export function supportsCardinalityStatements(version: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (match === null) {
    return true;
  }

  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 1 || (major === 1 && minor >= 4);
}

function pickQueryPolicy(
  defaultPolicy: RetentionPolicyInfo | undefined,
  withData: string[],
): string {
  if (
    defaultPolicy !== undefined &&
    (withData.length === 0 || withData.includes(defaultPolicy.name))
  ) {
    return defaultPolicy.name;
  }
  return withData[0] ?? 'autogen';
}

function influxqlDistribution(
  client: InfluxqlClient,
  database: string,
  retentionPolicy: string,
  measurement: string,
): HarvestedDistribution {
  return {
    key: 'influxql',
    title: 'InfluxQL query API',
    accessUrl: client.queryUrl(database),
    mediaType: 'application/json',
    format: 'InfluxQL JSON',
    accessQuery: `SELECT * FROM ${qualifiedMeasurement(database, retentionPolicy, measurement)} WHERE time > now() - 1h`,
    description:
      'Send the access query as the q parameter of GET /query; the server returns the points as JSON.',
  };
}

function describeServer(server: InfluxServerInfo): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (server.version !== undefined) {
    details.serverVersion = server.version;
  }
  if (server.build !== undefined) {
    details.serverBuild = server.build;
  }
  return details;
}
