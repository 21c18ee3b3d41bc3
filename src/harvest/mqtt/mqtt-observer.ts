import type { LoggerService } from '@nestjs/common';
import { connect } from 'mqtt';
import type {
  IClientOptions,
  IConnackPacket,
  IPublishPacket,
  ISubscriptionGrant,
  ISubscriptionMap,
  MqttClient,
} from 'mqtt';

import { stripCredentials } from '../../common/json-logger';
import { errorMessage } from './formats/json-values';
import type { ObservedMessage } from './topic-tree';

/**
 * Continuous observation of one broker with mqtt.js. The observer connects
 * with MQTT 5, or MQTT 3.1.1 when the broker rejects version 5, subscribes to
 * the topic filters and hands every message to a callback. After any loss of
 * the connection it reconnects with exponential backoff and subscribes again.
 * Once started it throws nothing, and its status reports what went wrong.
 */

export type HarvesterLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

export interface BrokerConnection {
  sourceId: string;
  /** URL as configured; it may contain credentials, so it is never logged. */
  url: string;
  /** URL without credentials, for logs and issues. */
  displayUrl: string;
  username?: string;
  password?: string;
  /** CA certificates (PEM) that verify the broker's TLS certificate. */
  ca?: Buffer;
  clientId: string;
  topicFilters: readonly string[];
}

export interface ObserverOptions {
  logger: HarvesterLogger;
  /** Delay before the first reconnection attempt; it doubles after each failed attempt up to `maxDelayMs`. */
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  connectTimeoutMs: number;
  /** MQTT 5 Maximum Packet Size (section 3.1.2.11.4): the broker drops larger messages instead of sending them. */
  maxPacketBytes: number;
  onMessage(message: ObservedMessage): void;
  /** Called on each connection just before the subscription is sent. */
  onSubscribe(): void;
}

export interface ObserverStatus {
  connected: boolean;
  /** 5 for MQTT 5, 4 for MQTT 3.1.1. */
  protocolVersion: 4 | 5;
  firstConnectedAt?: number;
  lastConnectedAt?: number;
  lastDisconnectedAt?: number;
  /** The latest connection or subscription error, without credentials. */
  lastError?: string;
  /** Successful connections after the first. */
  reconnectCount: number;
  connectAttempts: number;
  /** When the broker last acknowledged the subscription. */
  subscribedAt?: number;
  /** Topic filters the broker refused, with the reason. */
  refusedFilters: string[];
  /** Messages the callback failed on. */
  messageErrors: number;
}

/**
 * CONNACK codes that mean "this protocol version is not supported":
 * 1 in MQTT 3.1.1 (section 3.2.2.3), 0x84 in MQTT 5 (section 3.2.2.2).
 */
const UNSUPPORTED_PROTOCOL_CODES = new Set([1, 0x84]);

/** Subscriptions ask for QoS 2, so the delivered QoS (the lower of the publication's and the subscription's) is the publisher's. */
const SUBSCRIPTION_QOS = 2;

export class MqttObserver {
  private client: MqttClient | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private started = false;
  private failuresSinceConnect = 0;
  private loggedMessageErrors = 0;
  private readonly state: ObserverStatus = {
    connected: false,
    protocolVersion: 5,
    reconnectCount: 0,
    connectAttempts: 0,
    refusedFilters: [],
    messageErrors: 0,
  };

  constructor(
    private readonly connection: BrokerConnection,
    private readonly options: ObserverOptions,
  ) {}

  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.options.logger.log({
      msg: 'MQTT observation starting',
      sourceId: this.connection.sourceId,
      url: this.connection.displayUrl,
      topicFilters: this.connection.topicFilters,
    });
    this.openConnection();
  }

  status(): ObserverStatus {
    return { ...this.state, refusedFilters: [...this.state.refusedFilters] };
  }

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    clearTimeout(this.reconnectTimer);

    const client = this.client;
    this.client = undefined;
    this.state.connected = false;
    if (client !== undefined) {
      await client.endAsync(true);
    }
    this.options.logger.log({
      msg: 'MQTT observation stopped',
      sourceId: this.connection.sourceId,
      url: this.connection.displayUrl,
    });
  }

  private openConnection(): void {
    if (this.stopped) {
      return;
    }
    this.state.connectAttempts += 1;

    let client: MqttClient;
    try {
      client = connect(this.connection.url, this.clientOptions());
    } catch (error) {
      // mqtt.js validates its options synchronously; a rejected option must not escape start().
      this.state.lastError = describeError(error);
      this.options.logger.error({
        msg: 'MQTT client could not be created',
        sourceId: this.connection.sourceId,
        url: this.connection.displayUrl,
        error: this.state.lastError,
      });
      this.scheduleReconnect(false);
      return;
    }
    this.client = client;
    client.on('connect', (connack) => this.handleConnect(client, connack));
    client.on('message', (topic, payload, packet) => this.handleMessage(topic, payload, packet));
    client.on('error', (error) => this.handleError(client, error));
    client.on('disconnect', (packet) => {
      this.state.lastError = `the broker sent DISCONNECT with reason code ${packet.reasonCode ?? 0}`;
    });
    client.on('close', () => this.handleClose(client));
  }

  private clientOptions(): IClientOptions {
    const version = this.state.protocolVersion;
    const options: IClientOptions = {
      protocolVersion: version,
      clientId: this.connection.clientId,
      rejectUnauthorized: true,
      clean: true,
      keepalive: 30,
      connectTimeout: this.options.connectTimeoutMs,
      // This class schedules reconnections itself, with backoff and a log line each.
      reconnectPeriod: 0,
      resubscribe: false,
      properties:
        version === 5
          ? { maximumPacketSize: this.options.maxPacketBytes, sessionExpiryInterval: 0 }
          : undefined,
    };

    // Set only what is configured: an undefined key would hide credentials written in the URL.
    if (this.connection.username !== undefined) {
      options.username = this.connection.username;
    }
    if (this.connection.password !== undefined) {
      options.password = this.connection.password;
    }
    if (this.connection.ca !== undefined) {
      options.ca = this.connection.ca;
    }
    return options;
  }

  private handleConnect(client: MqttClient, connack: IConnackPacket): void {
    if (client !== this.client) {
      return;
    }
    const now = Date.now();
    const reconnected = this.state.firstConnectedAt !== undefined;

    this.state.connected = true;
    this.state.firstConnectedAt ??= now;
    this.state.lastConnectedAt = now;
    this.failuresSinceConnect = 0;
    if (reconnected) {
      this.state.reconnectCount += 1;
    }
    this.options.logger.log({
      msg: reconnected ? 'MQTT broker reconnected' : 'MQTT broker connected',
      sourceId: this.connection.sourceId,
      url: this.connection.displayUrl,
      protocolVersion: this.state.protocolVersion,
      sessionPresent: connack.sessionPresent,
    });

    this.subscribe(client);
  }

  private subscribe(client: MqttClient): void {
    const subscriptions: ISubscriptionMap = {};
    for (const filter of this.connection.topicFilters) {
      subscriptions[filter] = { qos: SUBSCRIPTION_QOS };
    }

    // The retained messages that the broker sends for this subscription must count as the first after it.
    this.options.onSubscribe();
    client.subscribe(subscriptions, (error, granted) =>
      this.handleSubscribed(client, error, granted),
    );
  }

  private handleSubscribed(
    client: MqttClient,
    error: Error | null,
    granted: ISubscriptionGrant[] | undefined,
  ): void {
    if (client !== this.client) {
      return;
    }
    if (error !== null) {
      this.state.lastError = `subscription failed: ${describeError(error)}`;
      this.options.logger.error({
        msg: 'MQTT subscription failed',
        sourceId: this.connection.sourceId,
        url: this.connection.displayUrl,
        error: this.state.lastError,
      });
      return;
    }

    // SUBACK return code 0x80 (MQTT 3.1.1, 3.9.3) or a reason code of 0x80 or more (MQTT 5, 3.9.3) refuses a filter.
    const refused = (granted ?? [])
      .filter((grant) => grant.qos >= 0x80)
      .map((grant) => `${grant.topic}: refused by the broker (code ${grant.qos})`);
    this.state.refusedFilters = refused;
    this.state.subscribedAt = Date.now();
    if (refused.length > 0) {
      this.options.logger.error({
        msg: 'MQTT broker refused topic filters',
        sourceId: this.connection.sourceId,
        url: this.connection.displayUrl,
        refused,
      });
    }
  }

  private handleMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    try {
      this.options.onMessage({
        topic,
        payload,
        retain: packet.retain,
        qos: packet.qos,
        receivedAt: Date.now(),
      });
    } catch (error) {
      // One bad message must not stop the observation; the first few are logged, all are counted.
      this.state.messageErrors += 1;
      if (this.loggedMessageErrors < 5) {
        this.loggedMessageErrors += 1;
        this.options.logger.error({
          msg: 'MQTT message could not be recorded',
          sourceId: this.connection.sourceId,
          topic,
          error: describeError(error),
        });
      }
    }
  }

  private handleError(client: MqttClient, error: Error): void {
    if (client !== this.client) {
      return;
    }
    this.state.lastError = describeError(error);

    const code = (error as { code?: unknown }).code;
    const neverConnected = this.state.firstConnectedAt === undefined;
    if (
      this.state.protocolVersion === 5 &&
      neverConnected &&
      typeof code === 'number' &&
      UNSUPPORTED_PROTOCOL_CODES.has(code)
    ) {
      this.state.protocolVersion = 4;
      // -1 makes nextDelay() return 0, so the attempt with MQTT 3.1.1 follows at once.
      this.failuresSinceConnect = -1;
      this.options.logger.warn({
        msg: 'MQTT broker does not support MQTT 5; falling back to MQTT 3.1.1',
        sourceId: this.connection.sourceId,
        url: this.connection.displayUrl,
      });
    }
  }

  private handleClose(client: MqttClient): void {
    if (client !== this.client || this.stopped) {
      return;
    }
    const wasConnected = this.state.connected;
    this.state.connected = false;
    if (wasConnected) {
      this.state.lastDisconnectedAt = Date.now();
    }
    client.removeAllListeners('close');
    client.on('error', () => undefined);
    client.end(true);

    this.scheduleReconnect(wasConnected);
  }

  private scheduleReconnect(wasConnected: boolean): void {
    const delay = this.nextDelay();
    this.options.logger.warn({
      msg: wasConnected ? 'MQTT connection lost; reconnecting' : 'MQTT connection failed; retrying',
      sourceId: this.connection.sourceId,
      url: this.connection.displayUrl,
      reason: this.state.lastError ?? 'connection closed',
      delayMs: delay,
      attempt: this.state.connectAttempts + 1,
    });
    this.reconnectTimer = setTimeout(() => this.openConnection(), delay);
    this.reconnectTimer.unref();
  }

  /** Exponential backoff with ±20 % jitter, so that many harvesters do not reconnect in step. */
  private nextDelay(): number {
    const failures = this.failuresSinceConnect;
    this.failuresSinceConnect += 1;
    if (failures < 0) {
      return 0;
    }
    const { initialDelayMs, maxDelayMs } = this.options.reconnect;
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(failures, 20));
    const jitter = 0.8 + Math.random() * 0.4;
    return Math.round(Math.min(maxDelayMs, base * jitter));
  }
}

/**
 * Describe an error by its message and code, without credentials. Errors are read by
 * shape, not with instanceof, because errors from another realm (a VM
 * context, a worker) are no instances of this realm's Error.
 */
export function describeError(error: unknown): string {
  const message = errorMessage(error);
  const rawCode =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const code =
    typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : undefined;
  const withCode = code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
  return stripCredentials(withCode);
}
