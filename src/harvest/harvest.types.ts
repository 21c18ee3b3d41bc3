/**
 * The contract between harvesters and the catalog. A harvester observes one
 * source system and returns plain data: it never touches the database. The
 * harvest service turns each snapshot into catalog entries, mints persistent
 * identifiers and records the run as a PROV-O activity.
 */

/** Kinds of source systems Weft harvests. */
export type SourceKind =
  'mqtt' | 'opcua' | 'opcua-nodeset' | 'influxdb-v1' | 'influxdb-v2' | 'postgresql';

/** Kinds of datasets a harvester produces, one per natural unit of data. */
export type HarvestedDatasetKind =
  'mqtt-topic' | 'opcua-node-group' | 'influx-measurement' | 'postgres-table';

/** Primitive datatypes of observed values, as XSD names (`xsd:double` etc.). */
export type ValueDatatype =
  | 'xsd:boolean'
  | 'xsd:integer'
  | 'xsd:double'
  | 'xsd:string'
  | 'xsd:dateTime'
  | 'xsd:base64Binary'
  | 'rdf:JSON';

/**
 * One observable property of a dataset: a JSON key of an MQTT payload, an
 * OPC UA variable, or an InfluxDB field.
 */
export interface HarvestedProperty {
  /** Path within the dataset: a JSON pointer-like dotted path (`ENERGY.Power`), a browse path, or a field key. */
  name: string;
  /** Human label when the source gives one (Home Assistant `name`, OPC UA DisplayName). */
  label?: string;
  description?: string;
  /** All datatypes seen, most frequent first; more than one means the source is inconsistent. */
  datatypes: ValueDatatype[];
  /** UCUM code (`Cel`, `W`, `kW.h`, `%`), when the source states or implies a unit. */
  unit?: string;
  /** The unit exactly as the source wrote it (`°C`, `kWh`, `DEGREES_FAHRENHEIT`), kept for traceability. */
  unitSourceText?: string;
  /** QUDT quantity kind local name (`Temperature`, `Power`, `RelativeHumidity`). */
  quantityKind?: string;
  /** Numeric range seen (or declared, for OPC UA EURange). */
  minimum?: number;
  maximum?: number;
  /** How many values were observed (0 for declared-only properties). */
  observedCount?: number;
  /** Values that were not usable as the property's datatype (`nan`, `""`), counted by their text. */
  anomalies?: Record<string, number>;
  /** Small set of distinct values for enumerations (`ON`/`OFF`), at most 20. */
  enumValues?: string[];
}

/** How to get a dataset's data: a DCAT distribution. */
export interface HarvestedDistribution {
  /** Stable key within the dataset (`mqtt`, `influxql`, `flux`, `opcua`). */
  key: string;
  title: string;
  /** dcat:accessURL, e.g. `mqtts://broker.example:8883/zigbee2mqtt/kitchen` or `opc.tcp://plc:4840`. */
  accessUrl: string;
  /** IANA media type of the payload, when there is one (`application/json`, `text/plain`). */
  mediaType?: string;
  /** dct:format as a short name (`JSON`, `InfluxDB line protocol`, `OPC UA binary`). */
  format?: string;
  /** The protocol-level query or subscription that returns the data (topic filter, InfluxQL, NodeId list). */
  accessQuery?: string;
  description?: string;
}

/** One dataset observed in a source. */
export interface HarvestedDataset {
  /**
   * Natural key, unique and stable within the source: the MQTT topic, the
   * OPC UA node group's NodeId written with its namespace URI
   * (`nsu=http://opcfoundation.org/UA/Machinery/;i=1001`), or `database/measurement`.
   */
  key: string;
  kind: HarvestedDatasetKind;
  title: string;
  description?: string;
  keywords: string[];
  /** Where the data comes from in the physical site (room, line, device location), when known. */
  place?: string;
  /** Device metadata when the source carries it (Home Assistant discovery, Zigbee2MQTT bridge, OPC UA Identification). */
  device?: {
    manufacturer?: string;
    model?: string;
    name?: string;
    identifiers?: string[];
    softwareVersion?: string;
  };
  /** Payload or node format recognised (`zigbee2mqtt`, `tasmota`, `shelly-gen2`, `esphome`, `homeassistant-discovery`, `plain`). */
  format?: string;
  properties: HarvestedProperty[];
  /** Time span the data covers, when known (first and last seen, or first and last timestamp). */
  temporal?: { start?: string; end?: string };
  distributions: HarvestedDistribution[];
  /**
   * Source-specific facts kept as JSON: MQTT retained flag, QoS, message
   * rate; OPC UA access levels and data types; InfluxDB tag keys and their
   * cardinality, retention policy.
   */
  details: Record<string, unknown>;
}

/** A problem with one item of a source; the rest of the harvest goes on. */
export interface HarvestIssue {
  severity: 'warning' | 'error';
  /** What the issue is about: a topic, a NodeId, a measurement, a file. */
  subject: string;
  message: string;
}

/** Everything one harvest run saw in one source. */
export interface HarvestSnapshot {
  sourceId: string;
  sourceKind: SourceKind;
  /** Name and version of the harvester, recorded in provenance (`weft-mqtt-harvester/0.1.0`). */
  harvester: string;
  startedAt: string;
  endedAt: string;
  /** Facts about the source itself (server version, namespace array, retention policies, broker). */
  sourceDetails: Record<string, unknown>;
  datasets: HarvestedDataset[];
  issues: HarvestIssue[];
  /** True when the snapshot covers the whole source, so datasets absent from it may be marked as gone. */
  complete: boolean;
}

/** A harvester for one kind of source. */
export interface Harvester {
  readonly kind: SourceKind;
  /** Run one harvest; must not throw for item-level problems (report them as issues). */
  harvest(signal: AbortSignal): Promise<HarvestSnapshot>;
  /** Release connections; called on shutdown and when the source is reconfigured. */
  close(): Promise<void>;
}
