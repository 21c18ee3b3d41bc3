import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

import { Logger } from '@nestjs/common';

import { stripCredentials } from '../../common/json-logger';
import { resolveSecret } from '../../sources/secrets';
import type { MqttSourceConfig } from '../../sources/source-config.types';
import type { Harvester, HarvestIssue, HarvestSnapshot } from '../harvest.types';
import { brokerUrlWithoutCredentials } from './broker-url';
import { buildMqttDatasets } from './mqtt-dataset.builder';
import { describeError, MqttObserver } from './mqtt-observer';
import type { BrokerConnection, HarvesterLogger, ObserverStatus } from './mqtt-observer';
import type { SchemaLimits } from './payload-schema';
import { topicFilterError } from './topic-filter';
import { TopicTree } from './topic-tree';

/** Name and version recorded in each snapshot's provenance. */
export const MQTT_HARVESTER_NAME = 'weft-mqtt-harvester/0.1.0';

export interface MqttHarvesterOptions {
  logger?: HarvesterLogger;
  /** Topics recorded at most; messages on further topics are counted and dropped. Default 20,000. */
  maxTopics?: number;
  schemaLimits?: Partial<SchemaLimits>;
  /** Reconnection backoff in milliseconds: the first delay, doubling up to the maximum. Default 1,000 to 30,000. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How long to wait for the broker's CONNACK, in milliseconds. Default 10,000. */
  connectTimeoutMs?: number;
  /** Largest MQTT packet accepted, in bytes (MQTT 5 only). Default 16 MiB. */
  maxPacketBytes?: number;
}

const DEFAULT_MAX_PACKET_BYTES = 16 * 1024 * 1024;

/**
 * Harvests an MQTT broker by observing its live traffic. Observation starts
 * with the first `harvest()` (or `start()`) and keeps running between
 * harvests. Each harvest listens for `observeSeconds` and returns every topic
 * seen since observation began. A snapshot is never complete, because live
 * traffic cannot prove that a quiet topic is gone.
 */
export class MqttHarvester implements Harvester {
  readonly kind = 'mqtt' as const;
  private readonly logger: HarvesterLogger;
  private readonly tree: TopicTree;
  private readonly topicFilters: string[] = [];
  private readonly filterIssues: HarvestIssue[] = [];
  private readonly displayUrl: string;
  private readonly urlError: string | undefined;
  private observer: MqttObserver | undefined;
  private observingSince: number | undefined;
  private startError: string | undefined;
  private closed = false;

  constructor(
    private readonly config: MqttSourceConfig,
    private readonly options: MqttHarvesterOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(MqttHarvester.name);
    this.tree = new TopicTree({ maxTopics: options.maxTopics, schema: options.schemaLimits ?? {} });

    let displayUrl: string;
    try {
      displayUrl = brokerUrlWithoutCredentials(config.url);
    } catch (error) {
      displayUrl = stripCredentials(config.url);
      this.urlError = describeError(error);
    }
    this.displayUrl = displayUrl;
    this.checkTopicFilters();
  }

  /** Start observing, if not started yet. Never throws: a configuration problem is reported by the next harvest. */
  start(): void {
    if (this.observer !== undefined || this.closed) {
      return;
    }

    const connection = this.brokerConnection();
    if (typeof connection === 'string') {
      this.startError = connection;
      this.logger.error({
        msg: 'MQTT source cannot start',
        sourceId: this.config.id,
        url: this.displayUrl,
        error: connection,
      });
      return;
    }
    this.startError = undefined;

    this.observer = new MqttObserver(connection, {
      logger: this.logger,
      reconnect: {
        initialDelayMs: this.options.reconnect?.initialDelayMs ?? 1_000,
        maxDelayMs: this.options.reconnect?.maxDelayMs ?? 30_000,
      },
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      maxPacketBytes: this.options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES,
      onMessage: (message) => this.tree.record(message),
      onSubscribe: () => this.tree.beginSubscription(),
    });
    this.observingSince = Date.now();
    this.observer.start();
  }

  /**
   * Listen for `observeSeconds`, then return what was seen so far. An abort
   * ends the wait early, and the snapshot reports it as an issue. The promise
   * resolves in every case, with connection problems reported as issues.
   */
  async harvest(signal: AbortSignal): Promise<HarvestSnapshot> {
    const startedAt = Date.now();
    this.start();

    let aborted = false;
    if (this.observer !== undefined) {
      aborted = await observeFor(this.config.observeSeconds * 1000, signal);
    }
    return this.snapshot(startedAt, aborted);
  }

  /** Return the connection's state (undefined before observation started), for health checks and tests. */
  connectionStatus(): ObserverStatus | undefined {
    return this.observer?.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.observer?.stop();
  }

  private snapshot(startedAt: number, aborted: boolean): HarvestSnapshot {
    const now = Date.now();
    const built = buildMqttDatasets(this.tree, {
      brokerUrl: this.displayUrl,
      topicFilters: this.topicFilters,
      observingSince: this.observingSince ?? now,
      now,
    });

    const issues = [...this.connectionIssues(startedAt), ...this.filterIssues, ...built.issues];
    if (aborted) {
      issues.push({
        severity: 'warning',
        subject: this.displayUrl,
        message: `the harvest was aborted after ${Math.round((now - startedAt) / 1000)} s of the ${this.config.observeSeconds} s observation; the snapshot contains what was seen until then`,
      });
    }

    this.logger.log({
      msg: 'MQTT snapshot taken',
      sourceId: this.config.id,
      datasets: built.datasets.length,
      issues: issues.length,
    });
    return {
      sourceId: this.config.id,
      sourceKind: 'mqtt',
      harvester: MQTT_HARVESTER_NAME,
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(now).toISOString(),
      sourceDetails: this.sourceDetails(),
      datasets: built.datasets,
      issues,
      complete: false,
    };
  }

  private sourceDetails(): Record<string, unknown> {
    const status = this.observer?.status();
    const bridges = [...this.tree.zigbeeBridges.values()].map((bridge) => ({
      baseTopic: bridge.baseTopic,
      version: bridge.info?.version,
      coordinatorType: bridge.info?.coordinatorType,
      state: bridge.state,
      deviceCount: bridge.devices.size,
    }));

    return {
      brokerUrl: this.displayUrl,
      topicFilters: this.topicFilters,
      protocolVersion: status?.protocolVersion === 4 ? 'MQTT 3.1.1' : 'MQTT 5',
      connected: status?.connected ?? false,
      reconnects: status?.reconnectCount ?? 0,
      observingSince:
        this.observingSince !== undefined ? new Date(this.observingSince).toISOString() : undefined,
      topicCount: this.tree.size,
      maxTopics: this.tree.limits.maxTopics,
      droppedMessages: this.tree.droppedMessages,
      discoveryConfigurations: this.tree.discovery.size,
      zigbee2mqttBridges: bridges,
    };
  }

  private connectionIssues(harvestStartedAt: number): HarvestIssue[] {
    if (this.startError !== undefined) {
      return [{ severity: 'error', subject: this.displayUrl, message: this.startError }];
    }
    const status = this.observer?.status();
    if (status === undefined) {
      return [];
    }

    const issues: HarvestIssue[] = statusIssues(status, this.displayUrl, harvestStartedAt);
    for (const refused of status.refusedFilters) {
      issues.push({
        severity: 'error',
        subject: this.displayUrl,
        message: `topic filter ${refused}; check the account's access rights`,
      });
    }
    if (status.messageErrors > 0) {
      issues.push({
        severity: 'warning',
        subject: this.displayUrl,
        message: `${status.messageErrors} messages could not be recorded and were skipped`,
      });
    }
    return issues;
  }

  /** Everything needed to connect, or the reason it cannot be had. */
  private brokerConnection(): BrokerConnection | string {
    if (this.urlError !== undefined) {
      return `MQTT source ${this.config.id}: ${this.urlError}`;
    }
    if (this.topicFilters.length === 0) {
      return `MQTT source ${this.config.id} has no valid topic filter; set topics, for example ["#"]`;
    }

    let password: string | undefined;
    let ca: Buffer | undefined;
    try {
      password = resolveSecret(this.config.password, `MQTT source ${this.config.id}`);
      ca =
        this.config.caFile !== undefined
          ? readCaFile(this.config.caFile, this.config.id)
          : undefined;
    } catch (error) {
      return describeError(error);
    }

    return {
      sourceId: this.config.id,
      url: this.config.url,
      displayUrl: this.displayUrl,
      username: this.config.username,
      password,
      ca,
      clientId: this.config.clientId ?? `weft-${this.config.id}-${randomBytes(4).toString('hex')}`,
      topicFilters: this.topicFilters,
    };
  }

  private checkTopicFilters(): void {
    for (const filter of this.config.topics) {
      const error = topicFilterError(filter);
      if (error === undefined) {
        this.topicFilters.push(filter);
      } else {
        this.filterIssues.push({
          severity: 'error',
          subject: filter,
          message: `topic filter "${filter}" of MQTT source ${this.config.id} is invalid: ${error}; it was not subscribed`,
        });
      }
    }
  }
}

function statusIssues(
  status: ObserverStatus,
  url: string,
  harvestStartedAt: number,
): HarvestIssue[] {
  if (status.connected) {
    return [];
  }
  const reason = status.lastError ?? 'the broker did not respond';

  if (status.lastConnectedAt === undefined) {
    return [
      {
        severity: 'error',
        subject: url,
        message: `cannot connect to the MQTT broker at ${url}: ${reason}; check that it runs and that the URL, credentials and CA file are right (retrying with backoff)`,
      },
    ];
  }

  const lostAt = status.lastDisconnectedAt ?? status.lastConnectedAt;
  const lostDuringHarvest = lostAt >= harvestStartedAt;
  return [
    {
      severity: lostDuringHarvest ? 'warning' : 'error',
      subject: url,
      message: `the connection to the MQTT broker at ${url} was lost at ${new Date(lostAt).toISOString()}: ${reason}; reconnecting with backoff, and the snapshot contains what was seen before`,
    },
  ];
}

function readCaFile(file: string, sourceId: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(
      `MQTT source ${sourceId}: cannot read the CA file ${file} (${describeError(error)}); fix caFile`,
    );
  }
}

/** Wait `milliseconds` unless aborted; returns whether the wait was aborted. */
async function observeFor(milliseconds: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) {
    return true;
  }
  try {
    await delay(milliseconds, undefined, { signal });
    return false;
  } catch (error) {
    if (signal.aborted) {
      return true;
    }
    throw error;
  }
}
