import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';

import { DERIVED_SOURCE_KEY } from '../catalog/entities/source-system.entity';
import type { SourceKind } from '../harvest/harvest.types';
import { topicFilterError } from '../harvest/mqtt/topic-filter';
import type { SecretRef, SourceConfig } from './source-config.types';

/** One invalid source entry, with the fix. */
export interface SourceConfigProblem {
  /** Position and id of the entry (`sources[2] "line1-plc"`). */
  where: string;
  message: string;
}

export interface ParsedSources {
  sources: SourceConfig[];
  problems: SourceConfigProblem[];
}

const KINDS: readonly SourceKind[] = [
  'mqtt',
  'opcua',
  'opcua-nodeset',
  'influxdb-v1',
  'influxdb-v2',
  'postgresql',
];
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Read and validate a sources file; invalid entries are reported and left out, valid ones kept. */
export function readSourcesFile(file: string): ParsedSources {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      sources: [],
      problems: [{ where: file, message: `cannot read sources file: ${reason}` }],
    };
  }
  return parseSources(document, file);
}

/** Validate a parsed sources document: `{ sources: [...] }` or a bare list. */
export function parseSources(document: unknown, origin = 'sources'): ParsedSources {
  const list = Array.isArray(document)
    ? (document as unknown[])
    : isRecord(document) && Array.isArray(document.sources)
      ? (document.sources as unknown[])
      : undefined;
  if (list === undefined) {
    return {
      sources: [],
      problems: [{ where: origin, message: 'expected a list of sources under the key "sources"' }],
    };
  }

  const sources: SourceConfig[] = [];
  const problems: SourceConfigProblem[] = [];
  const ids = new Set<string>();
  list.forEach((entry, index) => {
    const entryProblems: string[] = [];
    const source = parseSource(entry, entryProblems);
    const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : '?';
    const where = `${origin}: sources[${index}] "${id}"`;
    if (source !== undefined && ids.has(source.id)) {
      entryProblems.push(`id "${source.id}" is used twice: give each source its own id`);
    }
    if (entryProblems.length > 0 || source === undefined) {
      for (const message of entryProblems) {
        problems.push({ where, message });
      }
      return;
    }
    ids.add(source.id);
    sources.push(source);
  });
  return { sources, problems };
}

function parseSource(entry: unknown, problems: string[]): SourceConfig | undefined {
  if (!isRecord(entry)) {
    problems.push('expected a mapping with at least id, kind and a URL');
    return undefined;
  }
  const field = new FieldReader(entry, problems);

  const id = field.requiredString('id');
  if (id !== undefined && !ID_PATTERN.test(id)) {
    problems.push(`id "${id}" is invalid: use lower-case letters, digits and dashes (at most 63)`);
  }
  if (id === DERIVED_SOURCE_KEY) {
    problems.push(
      `id "${id}" is reserved for the built-in source of derived datasets: choose another id`,
    );
  }
  const kind = field.requiredString('kind');
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
    problems.push(`kind "${kind}" is invalid: expected one of ${KINDS.join(', ')}`);
    return undefined;
  }
  if (id === undefined || kind === undefined) {
    return undefined;
  }

  const base = {
    id,
    title: field.optionalString('title'),
    description: field.optionalString('description'),
    place: field.optionalString('place'),
    intervalSeconds: field.integer('intervalSeconds', 300, 0, 7 * 24 * 3600),
    enabled: field.boolean('enabled', true),
  };

  switch (kind as SourceKind) {
    case 'mqtt':
      return {
        ...base,
        kind: 'mqtt',
        url: field.url('url', ['mqtt:', 'mqtts:', 'ws:', 'wss:']) ?? '',
        username: field.optionalString('username'),
        password: field.secret('password'),
        caFile: field.optionalString('caFile'),
        topics: field.topicFilters('topics'),
        observeSeconds: field.integer('observeSeconds', 10, 0, 3600),
        clientId: field.optionalString('clientId'),
      };
    case 'opcua':
      return {
        ...base,
        kind: 'opcua',
        endpointUrl: field.url('endpointUrl', ['opc.tcp:']) ?? '',
        securityMode: field.oneOf('securityMode', 'SignAndEncrypt', [
          'None',
          'Sign',
          'SignAndEncrypt',
        ] as const),
        securityPolicy: field.oneOf('securityPolicy', 'Basic256Sha256', [
          'None',
          'Basic256Sha256',
          'Aes128_Sha256_RsaOaep',
          'Aes256_Sha256_RsaPss',
        ] as const),
        username: field.optionalString('username'),
        password: field.secret('password'),
        serverCertificateFile: field.optionalString('serverCertificateFile'),
        trustUnknownServerCertificate: field.boolean('trustUnknownServerCertificate', false),
        browseRoot: field.optionalString('browseRoot'),
        maxNodes: field.integer('maxNodes', 50_000, 1, 5_000_000),
      };
    case 'opcua-nodeset':
      return { ...base, kind: 'opcua-nodeset', files: field.stringList('files', undefined) };
    case 'influxdb-v1':
      return {
        ...base,
        kind: 'influxdb-v1',
        url: field.url('url', ['http:', 'https:']) ?? '',
        username: field.optionalString('username'),
        password: field.secret('password'),
        databases: field.stringList('databases', []),
        caFile: field.optionalString('caFile'),
      };
    case 'influxdb-v2':
      return {
        ...base,
        kind: 'influxdb-v2',
        url: field.url('url', ['http:', 'https:']) ?? '',
        org: field.requiredString('org') ?? '',
        token: field.secret('token'),
        buckets: field.stringList('buckets', []),
        caFile: field.optionalString('caFile'),
      };
    case 'postgresql':
      return {
        ...base,
        kind: 'postgresql',
        url: field.databaseUrl('url') ?? '',
        username: field.optionalString('username'),
        password: field.secret('password'),
        schemas: field.stringList('schemas', ['public']),
        caFile: field.optionalString('caFile'),
        maxTables: field.integer('maxTables', 1000, 1, 100_000),
      };
  }
}

class FieldReader {
  constructor(
    private readonly entry: Record<string, unknown>,
    private readonly problems: string[],
  ) {}

  requiredString(name: string): string | undefined {
    const value = this.entry[name];
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push(`${name} is missing: set it to a non-empty string`);
      return undefined;
    }
    return value.trim();
  }

  optionalString(name: string): string | undefined {
    const value = this.entry[name];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.push(`${name} must be a string, got ${typeof value}`);
      return undefined;
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.entry[name];
    if (value === undefined) {
      return fallback;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problems.push(
        `${name}=${JSON.stringify(value)} is invalid: expected an integer from ${min} to ${max}`,
      );
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.entry[name];
    if (value === undefined) {
      return fallback;
    }
    if (typeof value !== 'boolean') {
      this.problems.push(`${name}=${JSON.stringify(value)} is invalid: expected true or false`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.entry[name];
    if (value === undefined) {
      return fallback;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.problems.push(
        `${name}=${JSON.stringify(value)} is invalid: expected one of ${allowed.join(', ')}`,
      );
      return fallback;
    }
    return value as T;
  }

  url(name: string, protocols: string[]): string | undefined {
    const value = this.requiredString(name);
    if (value === undefined) {
      return undefined;
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(
        `${name}="${value}" is not a valid URL: expected for example ${protocols[0]}//host:port`,
      );
      return undefined;
    }
    if (!protocols.includes(parsed.protocol)) {
      const scheme = parsed.protocol.replace(/:$/, '');
      const expected = protocols.map((protocol) => protocol.replace(/:$/, '')).join(' or ');
      this.problems.push(`${name}="${value}" has scheme "${scheme}": use ${expected}`);
      return undefined;
    }
    if (parsed.password !== '') {
      this.problems.push(
        `${name} contains a password: remove it from the URL and use the password field with a file or env reference`,
      );
      return undefined;
    }
    return value;
  }

  /** A PostgreSQL URL that names its database in the path, as libpq reads it. */
  databaseUrl(name: string): string | undefined {
    const value = this.url(name, ['postgres:', 'postgresql:']);
    if (value === undefined) {
      return undefined;
    }
    if (new URL(value).pathname.replace(/^\//, '') === '') {
      this.problems.push(
        `${name}="${value}" names no database: add it as the path (postgres://host:5432/lab)`,
      );
      return undefined;
    }
    return value;
  }

  stringList(name: string, fallback: string[] | undefined): string[] {
    const value = this.entry[name];
    if (value === undefined && fallback !== undefined) {
      return fallback;
    }
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((item) => typeof item === 'string' && item !== '')
    ) {
      this.problems.push(`${name} must be a non-empty list of strings`);
      return fallback ?? [];
    }
    return value as string[];
  }

  /** MQTT topic filters; `#` (everything) when the field is absent. */
  topicFilters(name: string): string[] {
    const filters = this.stringList(name, ['#']);
    for (const filter of filters) {
      const error = topicFilterError(filter);
      if (error !== undefined) {
        this.problems.push(`${name} entry "${filter}" is not a valid topic filter: ${error}`);
      }
    }
    return filters;
  }

  secret(name: string): SecretRef | undefined {
    const value = this.entry[name];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value === 'string') {
      this.problems.push(
        `${name} is written in clear: use { file: /path/to/secret } or { env: VARIABLE } instead`,
      );
      return undefined;
    }
    if (!isRecord(value) || (typeof value.file !== 'string' && typeof value.env !== 'string')) {
      this.problems.push(`${name} must be { file: PATH } or { env: VARIABLE }`);
      return undefined;
    }
    return {
      ...(typeof value.file === 'string' ? { file: value.file } : {}),
      ...(typeof value.env === 'string' ? { env: value.env } : {}),
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
