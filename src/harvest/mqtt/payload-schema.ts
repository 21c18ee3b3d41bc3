import type { ValueDatatype } from '../harvest.types';
import { scanJson } from './json-scanner';
import type { JsonLeafKind, JsonLeafSink, JsonRootKind } from './json-scanner';
import { ROOT_PATH } from './property-path';
import { classifyText, NULL_VALUE } from './value-classifier';
import type { TextClassification, TextSource } from './value-classifier';

/**
 * Incremental schema inference for the payloads of one MQTT topic. Each
 * payload is classified from its raw bytes as a JSON object or array
 * (recorded key by key), a JSON scalar, plain text, an empty payload, or
 * bytes that are not UTF-8. An empty payload with the retain flag deletes the
 * retained message (MQTT 3.1.1 section 3.3.1.3). Per property the schema keeps the
 * datatypes seen with counts, the numeric range, anomalies and a small set
 * of enumeration values. Observing never throws, and limits cap what one
 * topic can make it hold.
 */

export type PayloadKind =
  | 'json-object'
  | 'json-array'
  | 'json-string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'text'
  | 'empty'
  | 'binary'
  | 'oversized';

export interface SchemaLimits {
  /** Distinct property paths kept per topic; later new paths are counted as dropped. */
  maxPaths: number;
  /** JSON nesting depth recorded; deeper containers become one `rdf:JSON` property. */
  maxDepth: number;
  /** Characters of one JSON key kept in a path. */
  maxKeyLength: number;
  /** Distinct values kept as an enumeration; a property with more has none. */
  maxEnumValues: number;
  /** Longer strings are not enumeration values. */
  maxEnumValueLength: number;
  /** Payloads larger than this many bytes are counted but not parsed. */
  maxPayloadBytes: number;
}

export const DEFAULT_SCHEMA_LIMITS: Readonly<SchemaLimits> = {
  maxPaths: 500,
  maxDepth: 16,
  maxKeyLength: 128,
  maxEnumValues: 20,
  maxEnumValueLength: 64,
  maxPayloadBytes: 1024 * 1024,
};

/** Inferred facts about one property. */
export interface PropertySchema {
  /** Path as `property-path.ts` builds it; `$` is the whole payload. */
  name: string;
  /** Datatypes seen, most frequent first; xsd:double goes before xsd:integer when a property has both. */
  datatypes: ValueDatatype[];
  datatypeCounts: Partial<Record<ValueDatatype, number>>;
  observedCount: number;
  minimum?: number;
  maximum?: number;
  anomalies?: Record<string, number>;
  enumValues?: string[];
}

export interface SchemaSummary {
  messageCount: number;
  payloadKinds: Partial<Record<PayloadKind, number>>;
  /** Properties in the order they were first seen. */
  properties: PropertySchema[];
  /** Observations of new paths that were not recorded because the topic had `maxPaths` already. */
  pathsDropped: number;
  /** Containers cut by the depth limit. */
  depthLimitHits: number;
  /** JSON payloads that needed the bare NaN/Infinity extension to parse. */
  nonStandardJson: number;
  /** Payloads whose inference failed unexpectedly; they are counted and skipped. */
  inferenceErrors: number;
}

class PropertyStats {
  observedCount = 0;
  readonly datatypeCounts = new Map<ValueDatatype, number>();
  minimum: number | undefined;
  maximum: number | undefined;
  anomalies: Map<string, number> | undefined;
  /** Undefined once the property had more distinct values than an enumeration may have. */
  enumValues: Set<string> | undefined = new Set();

  countDatatype(datatype: ValueDatatype): void {
    this.datatypeCounts.set(datatype, (this.datatypeCounts.get(datatype) ?? 0) + 1);
  }

  countAnomaly(anomaly: string): void {
    this.anomalies ??= new Map();
    this.anomalies.set(anomaly, (this.anomalies.get(anomaly) ?? 0) + 1);
  }

  /** Widen the range to `value`; literals beyond the double range (`1e400`) parse to Infinity and are left out. */
  includeNumber(value: number): void {
    if (!Number.isFinite(value)) {
      return;
    }
    if (this.minimum === undefined || value < this.minimum) {
      this.minimum = value;
    }
    if (this.maximum === undefined || value > this.maximum) {
      this.maximum = value;
    }
  }

  addEnumValue(value: string, limits: SchemaLimits): void {
    if (this.enumValues === undefined || this.enumValues.has(value)) {
      return;
    }
    if (value.length > limits.maxEnumValueLength || this.enumValues.size >= limits.maxEnumValues) {
      this.enumValues = undefined;
      return;
    }
    this.enumValues.add(value);
  }
}

const JSON_ROOT_KINDS: Record<JsonRootKind, PayloadKind> = {
  object: 'json-object',
  array: 'json-array',
  string: 'json-string',
  number: 'number',
  boolean: 'boolean',
  null: 'null',
};

/** Characters that can start a JSON text; anything else is plain text without a scan. */
const JSON_START = /^[\s]*[{["\-0-9tfnNI]/;

/** Ties between equally frequent datatypes are broken in this order. */
const DATATYPE_ORDER: readonly ValueDatatype[] = [
  'xsd:double',
  'xsd:integer',
  'xsd:boolean',
  'xsd:dateTime',
  'xsd:string',
  'rdf:JSON',
  'xsd:base64Binary',
];

export class PayloadSchema {
  private readonly limits: SchemaLimits;
  private readonly sink: JsonLeafSink = {
    leaf: (path, kind, text) => this.recordLeaf(path, kind, text),
  };
  private readonly properties = new Map<string, PropertyStats>();

  /** Number of distinct property paths recorded so far. */
  get pathCount(): number {
    return this.properties.size;
  }
  private readonly payloadKinds = new Map<PayloadKind, number>();
  private messageCount = 0;
  private pathsDropped = 0;
  private depthLimitHits = 0;
  private nonStandardJson = 0;
  private inferenceErrors = 0;

  constructor(limits: Partial<SchemaLimits> = {}) {
    this.limits = withDefaults(DEFAULT_SCHEMA_LIMITS, limits);
  }

  /** Record one payload and return how it was classified. */
  observe(payload: Uint8Array): PayloadKind {
    this.messageCount += 1;
    let kind: PayloadKind;
    try {
      kind = this.classify(payload);
    } catch {
      // A bug here must not stop the harvest of every other topic; the count shows it.
      this.inferenceErrors += 1;
      kind = 'binary';
    }
    this.payloadKinds.set(kind, (this.payloadKinds.get(kind) ?? 0) + 1);
    return kind;
  }

  /** Return a plain copy of the schema's current contents. */
  summarize(): SchemaSummary {
    const properties: PropertySchema[] = [];
    for (const [name, stats] of this.properties) {
      properties.push(summarizeProperty(name, stats));
    }

    return {
      messageCount: this.messageCount,
      payloadKinds: Object.fromEntries(this.payloadKinds),
      properties,
      pathsDropped: this.pathsDropped,
      depthLimitHits: this.depthLimitHits,
      nonStandardJson: this.nonStandardJson,
      inferenceErrors: this.inferenceErrors,
    };
  }

  /** Number of distinct property paths recorded. */
  get propertyCount(): number {
    return this.properties.size;
  }

  private recordLeaf(path: string, kind: JsonLeafKind, text: string): void {
    const stats = this.statsFor(path);
    if (stats === undefined) {
      return;
    }
    stats.observedCount += 1;

    switch (kind) {
      case 'integer':
      case 'float':
        stats.countDatatype(kind === 'integer' ? 'xsd:integer' : 'xsd:double');
        stats.includeNumber(Number(text));
        return;
      case 'non-finite':
        stats.countDatatype('xsd:double');
        stats.countAnomaly(text);
        return;
      case 'string':
        this.recordText(stats, text, 'json-string');
        return;
      case 'boolean':
        stats.countDatatype('xsd:boolean');
        return;
      case 'null':
        stats.countAnomaly(NULL_VALUE);
        return;
      case 'container':
        stats.countDatatype('rdf:JSON');
        return;
    }
  }

  private classify(payload: Uint8Array): PayloadKind {
    if (payload.length === 0) {
      return 'empty';
    }
    if (payload.length > this.limits.maxPayloadBytes) {
      return 'oversized';
    }

    const text = decodeUtf8(payload);
    if (text === undefined) {
      this.recordRoot((stats) => stats.countDatatype('xsd:base64Binary'));
      return 'binary';
    }

    if (JSON_START.test(text)) {
      const kind = this.recordJson(text);
      if (kind !== undefined) {
        return kind;
      }
    }

    this.recordRoot((stats) => this.recordText(stats, text, 'plain-text'));
    return 'text';
  }

  /** Record `text` as JSON if it is valid JSON; returns undefined, recording nothing, if it is not. */
  private recordJson(text: string): PayloadKind | undefined {
    const options = {
      maxDepth: this.limits.maxDepth,
      maxKeyLength: this.limits.maxKeyLength,
      allowNonFinite: true,
    };

    // A first pass validates without recording, so an invalid payload leaves no partial keys behind.
    const check = scanJson(text, options);
    if (!check.valid || check.root === undefined) {
      return undefined;
    }

    scanJson(text, options, this.sink);
    this.depthLimitHits += check.depthLimitHits;
    const containerRoot = check.root === 'object' || check.root === 'array';
    if (check.nonFinite && containerRoot) {
      this.nonStandardJson += 1;
    }
    return JSON_ROOT_KINDS[check.root];
  }

  private recordRoot(record: (stats: PropertyStats) => void): void {
    const stats = this.statsFor(ROOT_PATH);
    if (stats !== undefined) {
      stats.observedCount += 1;
      record(stats);
    }
  }

  private recordText(stats: PropertyStats, text: string, source: TextSource): void {
    const classification: TextClassification = classifyText(text, source);
    if (classification.datatype !== undefined) {
      stats.countDatatype(classification.datatype);
    }
    if (classification.anomaly !== undefined) {
      stats.countAnomaly(classification.anomaly);
    }
    if (classification.number !== undefined) {
      stats.includeNumber(classification.number);
    }
    if (classification.enumCandidate) {
      stats.addEnumValue(text, this.limits);
    }
  }

  private statsFor(path: string): PropertyStats | undefined {
    const existing = this.properties.get(path);
    if (existing !== undefined) {
      return existing;
    }
    if (this.properties.size >= this.limits.maxPaths) {
      this.pathsDropped += 1;
      return undefined;
    }
    const created = new PropertyStats();
    this.properties.set(path, created);
    return created;
  }
}

/** Merge limits over their defaults; an explicitly undefined limit keeps its default instead of lifting it. */
export function withDefaults<T extends object>(defaults: Readonly<T>, overrides: Partial<T>): T {
  const merged: T = { ...defaults };
  for (const [key, value] of Object.entries(overrides) as Array<
    [keyof T, T[keyof T] | undefined]
  >) {
    if (value !== undefined) {
      merged[key] = value;
    }
  }
  return merged;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decode strict UTF-8 (WHATWG Encoding, fatal mode); undefined for bytes that are not valid UTF-8. */
function decodeUtf8(payload: Uint8Array): string | undefined {
  try {
    return UTF8.decode(payload);
  } catch {
    return undefined;
  }
}

function summarizeProperty(name: string, stats: PropertyStats): PropertySchema {
  const summary: PropertySchema = {
    name,
    datatypes: orderDatatypes(stats.datatypeCounts),
    datatypeCounts: Object.fromEntries(stats.datatypeCounts),
    observedCount: stats.observedCount,
  };

  if (stats.minimum !== undefined && stats.maximum !== undefined) {
    summary.minimum = stats.minimum;
    summary.maximum = stats.maximum;
  }
  if (stats.anomalies !== undefined) {
    summary.anomalies = Object.fromEntries(stats.anomalies);
  }
  const onlyStrings = stats.datatypeCounts.size === 1 && stats.datatypeCounts.has('xsd:string');
  if (onlyStrings && stats.enumValues !== undefined && stats.enumValues.size > 0) {
    summary.enumValues = [...stats.enumValues].sort();
  }
  return summary;
}

/**
 * Order datatypes by count, most frequent first. Integers and doubles on one
 * property are one numeric group ranked by their sum, with xsd:double first,
 * because a consumer must read every such value as a double.
 */
export function orderDatatypes(counts: ReadonlyMap<ValueDatatype, number>): ValueDatatype[] {
  const integers = counts.get('xsd:integer') ?? 0;
  const doubles = counts.get('xsd:double') ?? 0;
  const numeric = integers + doubles;

  const rank = (datatype: ValueDatatype): number => {
    if ((datatype === 'xsd:integer' || datatype === 'xsd:double') && integers > 0 && doubles > 0) {
      return numeric;
    }
    return counts.get(datatype) ?? 0;
  };

  return [...counts.keys()].sort((left, right) => {
    const difference = rank(right) - rank(left);
    if (difference !== 0) {
      return difference;
    }
    return DATATYPE_ORDER.indexOf(left) - DATATYPE_ORDER.indexOf(right);
  });
}
