import { BucketsAPI, DbrpsAPI, PingAPI } from '@influxdata/influxdb-client-apis';
import type { RequestOptions } from '@influxdata/influxdb-client-apis';
import type { InfluxDB } from '@influxdata/influxdb-client';

import { toInfluxError } from './flux-query-runner';
import { InfluxHarvestError } from './influx-harvest.error';
import { apiUrl } from './influx-url';

/** A bucket with the facts the catalog keeps. */
export interface BucketInfo {
  id?: string;
  name: string;
  orgID?: string;
  type?: string;
  /** Seconds after which points expire; 0 keeps them forever. */
  retentionSeconds: number;
  retentionRules: { type?: string; everySeconds: number; shardGroupDurationSeconds?: number }[];
}

/** A database and retention policy mapping that lets InfluxQL read a bucket. */
export interface DbrpMapping {
  bucketID: string;
  database: string;
  retentionPolicy: string;
  default: boolean;
  virtual?: boolean;
}

/** Page size of the bucket listing; 100 is the API's maximum `limit`. */
const BUCKET_PAGE_SIZE = 100;
/** A bound on pages, so a server that repeats a page cannot loop forever. */
const MAX_BUCKET_PAGES = 1000;

/**
 * Reads buckets, DBRP mappings and the server version through the
 * @influxdata/influxdb-client-apis classes, and checks each response body's
 * shape because the client returns whatever the server sent.
 */
export class InfluxV2ApiReader {
  private readonly buckets: BucketsAPI;
  private readonly dbrps: DbrpsAPI;
  private readonly ping: PingAPI;

  constructor(
    influx: InfluxDB,
    private readonly baseUrl: URL,
    private readonly org: string,
  ) {
    this.buckets = new BucketsAPI(influx);
    this.dbrps = new DbrpsAPI(influx);
    this.ping = new PingAPI(influx);
  }

  /** Read `X-Influxdb-Version` and `X-Influxdb-Build` from `GET /ping`. */
  async readServerInfo(signal: AbortSignal): Promise<{ version?: string; build?: string }> {
    const url = apiUrl(this.baseUrl, '/ping').toString();
    const info: { version?: string; build?: string } = {};

    try {
      await this.ping.getPing(
        {},
        withSignal(signal, {
          responseStarted: (headers: Record<string, string | string[] | undefined>) => {
            const version = headerValue(headers['x-influxdb-version']);
            const build = headerValue(headers['x-influxdb-build']);
            if (version !== undefined) {
              info.version = version;
            }
            if (build !== undefined) {
              info.build = build;
            }
          },
        }),
      );
    } catch (error) {
      throw toInfluxError(error, 'GET', url);
    }
    return info;
  }

  /** List every bucket of the organisation, page by page. */
  async listBuckets(signal: AbortSignal): Promise<BucketInfo[]> {
    const url = apiUrl(this.baseUrl, '/api/v2/buckets').toString();
    const buckets: BucketInfo[] = [];

    for (let page = 0; page < MAX_BUCKET_PAGES; page += 1) {
      let body: unknown;
      try {
        body = await this.buckets.getBuckets(
          { org: this.org, limit: BUCKET_PAGE_SIZE, offset: page * BUCKET_PAGE_SIZE },
          withSignal(signal, {}),
        );
      } catch (error) {
        throw toInfluxError(error, 'GET', url);
      }

      const pageBuckets = parseBuckets(body, url);
      buckets.push(...pageBuckets);
      if (pageBuckets.length < BUCKET_PAGE_SIZE) {
        return buckets;
      }
    }
    return buckets;
  }

  /** List the DBRP mappings of the organisation, virtual ones included. */
  async listDbrpMappings(signal: AbortSignal): Promise<DbrpMapping[]> {
    const url = apiUrl(this.baseUrl, '/api/v2/dbrps').toString();
    let body: unknown;
    try {
      body = await this.dbrps.getDBRPs({ org: this.org }, withSignal(signal, {}));
    } catch (error) {
      throw toInfluxError(error, 'GET', url);
    }
    return parseDbrps(body, url);
  }
}

/**
 * Add an AbortSignal to request options. The client's RequestOptions type
 * lacks `signal`, but the client passes the options on to its transport,
 * which honours it.
 */
function withSignal(signal: AbortSignal, options: RequestOptions): RequestOptions {
  return Object.assign({ signal }, options);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseBuckets(body: unknown, url: string): BucketInfo[] {
  if (!isRecord(body) || !Array.isArray(body.buckets)) {
    throw invalid(url, 'the body has no "buckets" array');
  }

  return body.buckets.map((entry, index): BucketInfo => {
    if (!isRecord(entry) || typeof entry.name !== 'string') {
      throw invalid(url, `buckets[${index}] has no name`);
    }

    const rules = Array.isArray(entry.retentionRules) ? entry.retentionRules : [];
    const retentionRules = rules.filter(isRecord).map((rule) => ({
      ...(typeof rule.type === 'string' ? { type: rule.type } : {}),
      everySeconds: typeof rule.everySeconds === 'number' ? rule.everySeconds : 0,
      ...(typeof rule.shardGroupDurationSeconds === 'number'
        ? { shardGroupDurationSeconds: rule.shardGroupDurationSeconds }
        : {}),
    }));

    const bucket: BucketInfo = {
      name: entry.name,
      retentionSeconds:
        retentionRules.find((rule) => rule.type === undefined || rule.type === 'expire')
          ?.everySeconds ?? 0,
      retentionRules,
    };
    if (typeof entry.id === 'string') {
      bucket.id = entry.id;
    }
    if (typeof entry.orgID === 'string') {
      bucket.orgID = entry.orgID;
    }
    if (typeof entry.type === 'string') {
      bucket.type = entry.type;
    }
    return bucket;
  });
}

function parseDbrps(body: unknown, url: string): DbrpMapping[] {
  if (!isRecord(body)) {
    throw invalid(url, 'the body is not a JSON object');
  }
  const content = body.content ?? [];
  if (!Array.isArray(content)) {
    throw invalid(url, '"content" is not an array');
  }

  return content.filter(isRecord).flatMap((entry): DbrpMapping[] => {
    if (typeof entry.bucketID !== 'string' || typeof entry.database !== 'string') {
      return [];
    }
    const mapping: DbrpMapping = {
      bucketID: entry.bucketID,
      database: entry.database,
      retentionPolicy:
        typeof entry.retention_policy === 'string' ? entry.retention_policy : 'autogen',
      default: entry.default === true,
    };
    if (typeof entry.virtual === 'boolean') {
      mapping.virtual = entry.virtual;
    }
    return [mapping];
  });
}

function invalid(url: string, reason: string): InfluxHarvestError {
  return new InfluxHarvestError(
    'invalid-response',
    `InfluxDB at ${url} returned an unexpected body: ${reason}; check that the url points at the InfluxDB 2 API`,
    url,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
