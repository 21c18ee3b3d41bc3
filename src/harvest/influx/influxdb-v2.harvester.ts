import { InfluxDB } from '@influxdata/influxdb-client';
import { Logger } from '@nestjs/common';

import type {
  HarvestedDataset,
  HarvestedDistribution,
  HarvestSnapshot,
  Harvester,
} from '../harvest.types';
import { resolveSecret } from '../../sources/secrets';
import type { InfluxV2SourceConfig } from '../../sources/source-config.types';
import { FluxSchemaReader } from './flux-schema-reader';
import { readCaFile } from './http-transport';
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
import { apiUrl, parseBaseUrl, redactUrl, redactUrlText } from './influx-url';
import { InfluxV2ApiReader } from './influx-v2-api-reader';
import type { BucketInfo, DbrpMapping } from './influx-v2-api-reader';
import { qualifiedMeasurement } from './influxql-quote';

export const INFLUX_V2_HARVESTER_VERSION = 'weft-influxdb-v2-harvester/0.1.0';

/** Everything one run needs to talk to the server. */
interface V2Connection {
  api: InfluxV2ApiReader;
  schema: FluxSchemaReader;
  baseUrl: URL;
}

/**
 * Harvests an InfluxDB 2.x through its v2 API with @influxdata/influxdb-client.
 * It reads buckets with their retention rules. For each measurement it reads
 * tag keys with cardinality, field keys with types, the series count and the
 * first and last timestamps with the Flux `schema` and `influxdb` packages.
 */
export class InfluxV2Harvester implements Harvester {
  readonly kind = 'influxdb-v2' as const;
  private readonly logger = new Logger(InfluxV2Harvester.name);
  private readonly options: Required<InfluxHarvesterOptions>;

  constructor(
    private readonly config: InfluxV2SourceConfig,
    options: InfluxHarvesterOptions = {},
  ) {
    this.options = { ...DEFAULT_INFLUX_HARVESTER_OPTIONS, ...options };
  }

  async harvest(signal: AbortSignal): Promise<HarvestSnapshot> {
    const startedAt = new Date().toISOString();
    const run = new HarvestRunRecord(this.logger, this.config.id);
    const datasets: HarvestedDataset[] = [];
    const sourceDetails: Record<string, unknown> = {
      url: redactUrlText(this.config.url),
      org: this.config.org,
    };

    this.logger.log(
      `harvest of source ${this.config.id} started (${redactUrlText(this.config.url)})`,
    );

    try {
      const connection = this.connect();
      const server = await connection.api.readServerInfo(signal);
      if (server.version !== undefined) {
        sourceDetails.serverVersion = server.version;
      }
      if (server.build !== undefined) {
        sourceDetails.serverBuild = server.build;
      }

      const buckets = this.selectBuckets(await connection.api.listBuckets(signal), run);
      sourceDetails.buckets = buckets.map((bucket) => ({
        name: bucket.name,
        id: bucket.id,
        retentionSeconds: bucket.retentionSeconds,
      }));
      const mappings = await this.readMappings(connection, signal, run);

      for (const bucket of buckets) {
        throwIfAborted(signal, `source ${this.config.id}`);
        await this.harvestBucket(connection, bucket, mappings, signal, run, datasets);
      }
    } catch (error) {
      run.fail(redactUrlText(this.config.url), describeError(error));
    }

    return run.finish({
      sourceKind: this.kind,
      harvester: INFLUX_V2_HARVESTER_VERSION,
      startedAt,
      sourceDetails,
      datasets,
    });
  }

  /** Nothing to release: the client opens a connection per request. */
  async close(): Promise<void> {}

  private connect(): V2Connection {
    const baseUrl = parseBaseUrl(this.config.url, `source ${this.config.id}`);
    const token = resolveSecret(this.config.token, `source ${this.config.id}`);
    const influx = new InfluxDB({
      url: redactUrl(baseUrl).replace(/\/$/, ''),
      token,
      timeout: this.options.requestTimeoutMs,
      ...(this.config.caFile === undefined
        ? {}
        : { transportOptions: { ca: readCaFile(this.config.caFile) } }),
    });

    const queryUrl = apiUrl(baseUrl, '/api/v2/query');
    queryUrl.searchParams.set('org', this.config.org);

    return {
      api: new InfluxV2ApiReader(influx, baseUrl, this.config.org),
      schema: new FluxSchemaReader(
        influx.getQueryApi(this.config.org),
        redactUrl(queryUrl),
        this.options.maxMeasurements,
      ),
      baseUrl,
    };
  }

  /**
   * Keep the configured buckets, or every user bucket when none is
   * configured. System buckets (`_monitoring`, `_tasks`) hold InfluxDB's own
   * records and are harvested only when named.
   */
  private selectBuckets(all: BucketInfo[], run: HarvestRunRecord): BucketInfo[] {
    if (this.config.buckets.length === 0) {
      return all.filter((bucket) => bucket.type !== 'system');
    }

    const selected: BucketInfo[] = [];
    for (const name of this.config.buckets) {
      const bucket = all.find((candidate) => candidate.name === name);
      if (bucket === undefined) {
        run.fail(
          `bucket ${name}`,
          `bucket ${name} was not found in organisation ${this.config.org}; fix the buckets of source ` +
            `${this.config.id} or give the token read access to it`,
        );
      } else {
        selected.push(bucket);
      }
    }
    return selected;
  }

  /** DBRP mappings only add InfluxQL distributions, so failing to read them is a warning. */
  private async readMappings(
    connection: V2Connection,
    signal: AbortSignal,
    run: HarvestRunRecord,
  ): Promise<DbrpMapping[]> {
    try {
      return await connection.api.listDbrpMappings(signal);
    } catch (error) {
      if (isSourceLevelError(error)) {
        throw error;
      }
      run.warn(
        redactUrlText(this.config.url),
        `${describeError(error)}; datasets get no InfluxQL distribution`,
      );
      return [];
    }
  }

  private async harvestBucket(
    connection: V2Connection,
    bucket: BucketInfo,
    mappings: DbrpMapping[],
    signal: AbortSignal,
    run: HarvestRunRecord,
    datasets: HarvestedDataset[],
  ): Promise<void> {
    let measurements: { names: string[]; truncated: boolean };
    try {
      measurements = await connection.schema.listMeasurements(bucket.name, signal);
    } catch (error) {
      if (isSourceLevelError(error)) {
        throw error;
      }
      run.fail(`bucket ${bucket.name}`, describeError(error));
      return;
    }

    if (measurements.truncated) {
      run.fail(
        `bucket ${bucket.name}`,
        `bucket ${bucket.name} has more than ${this.options.maxMeasurements} measurements; only the first ` +
          `${this.options.maxMeasurements} were harvested (raise maxMeasurements to harvest all)`,
      );
    }

    const bucketMappings = mappings.filter(
      (mapping) => bucket.id !== undefined && mapping.bucketID === bucket.id,
    );
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
            connection,
            bucket,
            bucketMappings,
            name,
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
    connection: V2Connection,
    bucket: BucketInfo,
    mappings: DbrpMapping[],
    measurement: string,
    signal: AbortSignal,
    run: HarvestRunRecord,
  ): Promise<HarvestedDataset | undefined> {
    const subject = measurementDatasetKey(bucket.name, measurement);

    try {
      const schema = await connection.schema.inspectMeasurement(bucket.name, measurement, signal);
      return buildMeasurementDataset({
        schema,
        containerLabel: 'bucket',
        serverUrl: redactUrlText(this.config.url),
        place: this.config.place,
        distributions: this.distributions(connection.baseUrl, bucket, mappings, measurement),
        details: {
          bucket: bucket.name,
          bucketId: bucket.id,
          org: this.config.org,
          retentionRules: bucket.retentionRules,
          retentionSeconds: bucket.retentionSeconds,
          dbrpMappings: mappings.map((mapping) => ({
            database: mapping.database,
            retentionPolicy: mapping.retentionPolicy,
            default: mapping.default,
            virtual: mapping.virtual,
          })),
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

  private distributions(
    baseUrl: URL,
    bucket: BucketInfo,
    mappings: DbrpMapping[],
    measurement: string,
  ): HarvestedDistribution[] {
    const fluxUrl = apiUrl(baseUrl, '/api/v2/query');
    fluxUrl.searchParams.set('org', this.config.org);

    const distributions: HarvestedDistribution[] = [
      {
        key: 'flux',
        title: 'Flux query API',
        accessUrl: fluxUrl.toString(),
        mediaType: 'application/csv',
        format: 'Flux annotated CSV',
        accessQuery:
          `from(bucket: ${JSON.stringify(bucket.name)}) |> range(start: -1h) ` +
          `|> filter(fn: (r) => r._measurement == ${JSON.stringify(measurement)})`,
        description:
          'POST the access query to the URL as {"query": ..., "type": "flux"} with an API token.',
      },
    ];

    // InfluxQL reads a bucket only through a DBRP mapping; the default one names the database to use.
    const mapping = mappings.find((candidate) => candidate.default) ?? mappings[0];
    if (mapping !== undefined) {
      const influxqlUrl = apiUrl(baseUrl, '/query');
      influxqlUrl.searchParams.set('db', mapping.database);
      distributions.push({
        key: 'influxql',
        title: 'InfluxQL query API (v1-compatible)',
        accessUrl: influxqlUrl.toString(),
        mediaType: 'application/json',
        format: 'InfluxQL JSON',
        accessQuery: `SELECT * FROM ${qualifiedMeasurement(mapping.database, mapping.retentionPolicy, measurement)} WHERE time > now() - 1h`,
        description: 'Send the access query as the q parameter of GET /query with an API token.',
      });
    }

    return distributions;
  }
}
