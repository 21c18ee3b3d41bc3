import type { SourceKind } from '../harvest/harvest.types';

/**
 * Configuration of one source system, as read from the sources file
 * (`WEFT_SOURCES_FILE`, YAML) or created by an admin through GraphQL.
 * Secrets are never stored here in clear: a `*File` field names a file that
 * contains the secret, and `*Env` names an environment variable.
 */
interface SourceConfigBase {
  /** Stable id chosen by the site (`site-broker`, `line1-plc`); also the natural key of the source's identifier. */
  id: string;
  kind: SourceKind;
  title?: string;
  description?: string;
  /** Where the source sits (building, room, line), used as the default place of its datasets. */
  place?: string;
  /** Harvest interval in seconds; 0 means on demand only. */
  intervalSeconds: number;
  enabled: boolean;
}

export interface SecretRef {
  /** A file containing the secret (a trailing newline is ignored). */
  file?: string;
  /** An environment variable containing the secret. */
  env?: string;
}

export interface MqttSourceConfig extends SourceConfigBase {
  kind: 'mqtt';
  /** `mqtt://host:1883`, `mqtts://host:8883`, `ws://`, `wss://`. */
  url: string;
  username?: string;
  password?: SecretRef;
  /** CA certificate (PEM) to verify the broker's TLS certificate. */
  caFile?: string;
  /** Topic filters to subscribe to (MQTT 3.1.1, 4.7): `zigbee2mqtt/#`, `homeassistant/+/+/config`. */
  topics: string[];
  /** How long a harvest run listens before it takes its snapshot, in seconds (continuous observation keeps running between runs). */
  observeSeconds: number;
  clientId?: string;
}

export interface OpcuaSourceConfig extends SourceConfigBase {
  kind: 'opcua';
  /** `opc.tcp://host:4840/path`. */
  endpointUrl: string;
  securityMode: 'None' | 'Sign' | 'SignAndEncrypt';
  securityPolicy: 'None' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';
  username?: string;
  password?: SecretRef;
  /**
   * The server's application instance certificate (PEM or DER). Weft trusts
   * it before connecting, so Sign and SignAndEncrypt work without accepting
   * unknown certificates.
   */
  serverCertificateFile?: string;
  /**
   * Accept a server certificate Weft has not seen before and trust it from
   * then on. Off by default, because a machine in the middle could present
   * its own certificate on the first connection.
   */
  trustUnknownServerCertificate?: boolean;
  /** NodeId to start browsing from, written with its namespace URI; default the Objects folder (i=85). */
  browseRoot?: string;
  /** Upper bound on nodes browsed per run, so a huge address space cannot exhaust memory. */
  maxNodes: number;
}

export interface OpcuaNodesetSourceConfig extends SourceConfigBase {
  kind: 'opcua-nodeset';
  /** NodeSet2 XML files imported offline. */
  files: string[];
}

export interface InfluxV1SourceConfig extends SourceConfigBase {
  kind: 'influxdb-v1';
  /** Base URL of the v1-compatible HTTP API (`http://host:8086`). */
  url: string;
  username?: string;
  password?: SecretRef;
  /** Databases to harvest; all visible ones when empty. */
  databases: string[];
  caFile?: string;
}

export interface InfluxV2SourceConfig extends SourceConfigBase {
  kind: 'influxdb-v2';
  url: string;
  org: string;
  token?: SecretRef;
  /** Buckets to harvest; all visible ones when empty. */
  buckets: string[];
  caFile?: string;
}

export interface PostgresSourceConfig extends SourceConfigBase {
  kind: 'postgresql';
  /** `postgres://host:5432/database`; the user name may be in the URL, the password never is. */
  url: string;
  /** Role to connect as, when the URL names none; give it read access only. */
  username?: string;
  password?: SecretRef;
  /** Schemas whose tables and views are harvested; default `public`. */
  schemas: string[];
  /** CA certificate (PEM); when set, the connection uses TLS and verifies the server against it. */
  caFile?: string;
  /** Upper bound on tables and views per run, so a huge database cannot exhaust memory. */
  maxTables: number;
}

export type SourceConfig =
  | MqttSourceConfig
  | OpcuaSourceConfig
  | OpcuaNodesetSourceConfig
  | InfluxV1SourceConfig
  | InfluxV2SourceConfig
  | PostgresSourceConfig;
