import { existsSync } from 'node:fs';
import path from 'node:path';

import type { AccessLevel } from '../catalog/entities/dataset.entity';
import { DATA_THEMES, PUBLISHER_TYPES } from '../linked-data/descriptions/controlled-vocabularies';

/** Typed configuration, read once from the environment and validated at start-up. */
export interface WeftConfig {
  httpHost: string;
  httpPort: number;
  /** Public base URL of this service, without a trailing slash. */
  baseUrl: string;
  /** Base that identifiers are minted under; `<pidBase><localId>` is the identifier. */
  pidBase: string;
  /** PostgreSQL connection URL; null selects the embedded PGlite database. */
  databaseUrl: string | null;
  databaseCaFile: string | null;
  databasePasswordFile: string | null;
  /** Directory of the embedded database, used when databaseUrl is null; null keeps it in memory. */
  dataDir: string | null;
  sourcesFile: string | null;
  oidcIssuer: string | null;
  oidcAudience: string | null;
  oidcJwksUrl: string | null;
  defaultAccessLevel: AccessLevel;
  catalogTitle: string;
  /** dct:description of the catalog, which DCAT-AP requires. */
  catalogDescription: string;
  publisherName: string;
  /** IRI of the publisher (a ROR identifier or the organisation's page); null gives `<base URL>/catalog#publisher`. */
  publisherUri: string | null;
  /** ADMS publisher type code (`Company`), the publisher's dct:type; null leaves it out. */
  publisherType: string | null;
  /** Contact point e-mail address (vcard:hasEmail); null leaves it out. */
  contactEmail: string | null;
  /** Contact point web page (vcard:hasURL); null gives the home page. */
  contactUrl: string | null;
  /** Language of the metadata, a code of the EU language table (`ENG`). */
  metadataLanguage: string;
  /** EU data theme codes every dataset gets as dcat:theme (`TECH`). */
  dataThemes: string[];
  /** Folder with the official DCAT-AP 3 SHACL files for FAIR assessments; null uses Weft's own subset. */
  dcatApShapesDir: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'pretty';
  graphqlMaxDepth: number;
  graphqlMaxCost: number;
  harvestOnStart: boolean;
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** Folder that RO-Crate exports are written to; each finished ZIP stays there until it expires. */
  exportDir: string;
  /** Minutes an export job and its ZIP are kept after the job ends. */
  exportRetentionMinutes: number;
  /** Longest time window one export may cover, in days. */
  exportMaxWindowDays: number;
  /** Folder of webhook secret files, or null when webhooks may name environment variables only. */
  webhookSecretsDir: string | null;
}

type Env = Record<string, string | undefined>;

/** Thrown when one or more settings are invalid; the message lists every problem and its fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Each setting, its meaning, and its default, for `weft config --help` and docs/configuration.md. */
export const SETTINGS: ReadonlyArray<{ name: string; description: string; default: string }> = [
  {
    name: 'WEFT_HTTP_HOST',
    description: 'Address the HTTP server listens on.',
    default: '127.0.0.1',
  },
  {
    name: 'WEFT_HTTP_PORT',
    description: 'TCP port of the HTTP server (GraphQL, landing pages, DCAT).',
    default: '8080',
  },
  {
    name: 'WEFT_BASE_URL',
    description: 'Public URL of this service as users and harvesters reach it.',
    default: 'http://localhost:<port>',
  },
  {
    name: 'WEFT_PID_BASE',
    description:
      'Base URI persistent identifiers are minted under, ending in / or = (a w3id.org path, an ARK resolver with NAAN, or the site domain).',
    default: '<base URL>/id/',
  },
  {
    name: 'WEFT_DATABASE_URL',
    description:
      'PostgreSQL URL (postgres://user@host:5432/db). Unset selects the embedded PGlite database. Put the password in WEFT_DATABASE_PASSWORD_FILE rather than in the URL.',
    default: 'unset',
  },
  {
    name: 'WEFT_DATABASE_PASSWORD_FILE',
    description: 'File containing the PostgreSQL password.',
    default: 'unset',
  },
  {
    name: 'WEFT_DATABASE_CA_FILE',
    description:
      'CA certificate (PEM) that verifies the PostgreSQL server; enables TLS with verification.',
    default: 'unset',
  },
  {
    name: 'WEFT_DATA_DIR',
    description: 'Directory of the embedded database; `memory` keeps it in memory only.',
    default: './.weft/data',
  },
  {
    name: 'WEFT_SOURCES_FILE',
    description: 'YAML file listing the sources to harvest.',
    default: 'unset',
  },
  {
    name: 'WEFT_OIDC_ISSUER',
    description:
      'OpenID Connect issuer URL (a Keycloak realm: https://sso.example/realms/site). Unset means no sign-in: anonymous read of public data only.',
    default: 'unset',
  },
  {
    name: 'WEFT_OIDC_AUDIENCE',
    description: 'Audience that access tokens must carry.',
    default: 'weft-api',
  },
  {
    name: 'WEFT_OIDC_JWKS_URL',
    description: 'JWKS URL, when it differs from the issuer discovery document.',
    default: 'from discovery',
  },
  {
    name: 'WEFT_DEFAULT_ACCESS_LEVEL',
    description: 'Access level of newly harvested datasets: public, site or restricted.',
    default: 'site',
  },
  {
    name: 'WEFT_CATALOG_TITLE',
    description: 'Title of the site catalog.',
    default: 'Weft site catalog',
  },
  {
    name: 'WEFT_CATALOG_DESCRIPTION',
    description: 'Description of the site catalog (dct:description, required by DCAT-AP).',
    default: 'Datasets of the site automation systems, harvested by Weft.',
  },
  {
    name: 'WEFT_PUBLISHER_NAME',
    description: 'Publisher of the catalog and its datasets (dct:publisher, foaf:name).',
    default: 'Site operator',
  },
  {
    name: 'WEFT_PUBLISHER_URI',
    description:
      'IRI that identifies the publisher, such as its ROR identifier (https://ror.org/...) or web page; used as dct:publisher and in Signposting author links.',
    default: '<base URL>/catalog#publisher',
  },
  {
    name: 'WEFT_PUBLISHER_TYPE',
    description: `Kind of publisher from the ADMS publisher type vocabulary (dct:type): ${Object.keys(PUBLISHER_TYPES).join(', ')}.`,
    default: 'unset',
  },
  {
    name: 'WEFT_CONTACT_EMAIL',
    description: 'E-mail address of the contact point of every dataset (dcat:contactPoint).',
    default: 'unset',
  },
  {
    name: 'WEFT_CONTACT_URL',
    description: 'Web page of the contact point of every dataset (dcat:contactPoint).',
    default: '<base URL>/',
  },
  {
    name: 'WEFT_METADATA_LANGUAGE',
    description:
      'Language of the catalog metadata as a three-letter code of the EU language table (ENG, DEU, FRA), written as dct:language.',
    default: 'ENG',
  },
  {
    name: 'WEFT_DATA_THEMES',
    description: `Comma-separated EU data theme codes every dataset gets as dcat:theme: ${Object.keys(DATA_THEMES).join(', ')}.`,
    default: 'TECH',
  },
  {
    name: 'WEFT_DCAT_AP_SHAPES_DIR',
    description:
      'Folder holding the official DCAT-AP 3 SHACL files shapes.ttl and range.ttl; FAIR assessments validate against them instead of the subset Weft bundles.',
    default: 'unset',
  },
  { name: 'WEFT_LOG_LEVEL', description: 'debug, info, warn or error.', default: 'info' },
  { name: 'WEFT_LOG_FORMAT', description: 'json (one object a line) or pretty.', default: 'json' },
  { name: 'WEFT_GRAPHQL_MAX_DEPTH', description: 'Maximum GraphQL query depth.', default: '12' },
  {
    name: 'WEFT_GRAPHQL_MAX_COST',
    description: 'Maximum GraphQL query cost (each field 1, lists multiplied by their page size).',
    default: '20000',
  },
  {
    name: 'WEFT_HARVEST_ON_START',
    description: 'Harvest every source once at start-up: true or false.',
    default: 'true',
  },
  {
    name: 'WEFT_TLS_CERT_FILE',
    description:
      'Certificate (PEM) to serve HTTPS directly; unset serves HTTP (put a TLS proxy in front).',
    default: 'unset',
  },
  {
    name: 'WEFT_TLS_KEY_FILE',
    description: 'Private key (PEM) for WEFT_TLS_CERT_FILE.',
    default: 'unset',
  },
  {
    name: 'WEFT_WEBHOOK_SECRETS_DIR',
    description:
      'Folder of the HMAC secret files that data product webhooks may name (secretFile). Unset: webhooks take their secret only from environment variables named WEFT_WEBHOOK_SECRET_*.',
    default: 'unset',
  },
  {
    name: 'WEFT_EXPORT_DIR',
    description:
      'Folder that dataset exports (RO-Crate ZIP files) are written to; Weft deletes each file when its job expires.',
    default: './.weft/exports',
  },
  {
    name: 'WEFT_EXPORT_RETENTION_MINUTES',
    description:
      'Minutes an export job and its ZIP file are kept after the job ends, from 1 to 10080 (a week).',
    default: '60',
  },
  {
    name: 'WEFT_EXPORT_MAX_WINDOW_DAYS',
    description: 'Longest time window one export may cover, in days, from 1 to 36600.',
    default: '366',
  },
];

class Reader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  text(name: string, fallback: string): string {
    const raw = this.env[name];
    return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
  }

  optional(name: string): string | null {
    const raw = this.env[name];
    return raw === undefined || raw.trim() === '' ? null : raw.trim();
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === null) {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name}="${raw}" is invalid: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.optional(name);
    if (raw === null) {
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name}="${raw}" is invalid: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === null) {
      return fallback;
    }
    if (raw === 'true' || raw === '1') {
      return true;
    }
    if (raw === 'false' || raw === '0') {
      return false;
    }
    this.problems.push(`${name}="${raw}" is invalid: expected true or false`);
    return fallback;
  }

  url(name: string, protocols: string[]): string | null {
    const raw = this.optional(name);
    if (raw === null) {
      return null;
    }
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        const scheme = parsed.protocol.replace(/:$/, '');
        const expected = protocols.map((protocol) => protocol.replace(/:$/, '')).join(' or ');
        this.problems.push(`${name} has scheme "${scheme}": use ${expected}`);
      }
      return raw;
    } catch {
      this.problems.push(
        `${name} is not a valid URL: expected for example ${protocols[0]}//host:port/path`,
      );
      return null;
    }
  }

  existingFile(name: string): string | null {
    const raw = this.optional(name);
    if (raw !== null && !existsSync(raw)) {
      this.problems.push(`${name}=${raw}: file not found; create it or fix the path`);
    }
    return raw;
  }
}

/** Read and validate the configuration; throws ConfigError listing every invalid setting. */
export function loadConfig(env: Env = process.env): WeftConfig {
  const read = new Reader(env);

  const httpPort = read.integer('WEFT_HTTP_PORT', 8080, 0, 65535);
  const baseUrl = (
    read.url('WEFT_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${httpPort}`
  ).replace(/\/+$/, '');
  const pidBase = read.text('WEFT_PID_BASE', `${baseUrl}/id/`);
  if (!/^(https?:\/\/|ark:)/.test(pidBase) || !/[/=:]$/.test(pidBase)) {
    read.problems.push(
      `WEFT_PID_BASE="${pidBase}" is invalid: expected an http(s) URL or ark: base ending in "/", "=" or ":" (for example https://w3id.org/my-site/)`,
    );
  }

  const databaseUrl = read.url('WEFT_DATABASE_URL', ['postgres:', 'postgresql:']);
  if (
    databaseUrl !== null &&
    /:\/\/[^/@]*:[^/@]+@/.test(databaseUrl) &&
    env.WEFT_ALLOW_PASSWORD_IN_URL !== 'true'
  ) {
    // A password inside the URL ends up in process listings and shell history.
    read.problems.push(
      'WEFT_DATABASE_URL contains a password: move it to a file named by WEFT_DATABASE_PASSWORD_FILE',
    );
  }

  const dataDirRaw = read.text('WEFT_DATA_DIR', './.weft/data');
  const tlsCertFile = read.existingFile('WEFT_TLS_CERT_FILE');
  const tlsKeyFile = read.existingFile('WEFT_TLS_KEY_FILE');
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) {
    read.problems.push('WEFT_TLS_CERT_FILE and WEFT_TLS_KEY_FILE must be set together');
  }

  const config: WeftConfig = {
    httpHost: read.text('WEFT_HTTP_HOST', '127.0.0.1'),
    httpPort,
    baseUrl,
    pidBase,
    databaseUrl,
    databaseCaFile: read.existingFile('WEFT_DATABASE_CA_FILE'),
    databasePasswordFile: read.existingFile('WEFT_DATABASE_PASSWORD_FILE'),
    dataDir: dataDirRaw === 'memory' ? null : path.resolve(dataDirRaw),
    sourcesFile: read.existingFile('WEFT_SOURCES_FILE'),
    oidcIssuer: read.url('WEFT_OIDC_ISSUER', ['https:', 'http:']),
    oidcAudience: read.text('WEFT_OIDC_AUDIENCE', 'weft-api'),
    oidcJwksUrl: read.url('WEFT_OIDC_JWKS_URL', ['https:', 'http:']),
    defaultAccessLevel: read.oneOf('WEFT_DEFAULT_ACCESS_LEVEL', 'site', [
      'public',
      'site',
      'restricted',
    ] as const),
    catalogTitle: read.text('WEFT_CATALOG_TITLE', 'Weft site catalog'),
    catalogDescription: read.text(
      'WEFT_CATALOG_DESCRIPTION',
      'Datasets of the site automation systems, harvested by Weft.',
    ),
    publisherName: read.text('WEFT_PUBLISHER_NAME', 'Site operator'),
    publisherUri: read.url('WEFT_PUBLISHER_URI', ['https:', 'http:']),
    publisherType: readCode(read, 'WEFT_PUBLISHER_TYPE', null, Object.keys(PUBLISHER_TYPES)),
    contactEmail: readEmail(read, 'WEFT_CONTACT_EMAIL'),
    contactUrl: read.url('WEFT_CONTACT_URL', ['https:', 'http:']),
    metadataLanguage: readLanguage(read, 'WEFT_METADATA_LANGUAGE'),
    dataThemes: readThemes(read, 'WEFT_DATA_THEMES'),
    dcatApShapesDir: readShapesDir(read, 'WEFT_DCAT_AP_SHAPES_DIR'),
    logLevel: read.oneOf('WEFT_LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error'] as const),
    logFormat: read.oneOf('WEFT_LOG_FORMAT', 'json', ['json', 'pretty'] as const),
    graphqlMaxDepth: read.integer('WEFT_GRAPHQL_MAX_DEPTH', 12, 2, 100),
    graphqlMaxCost: read.integer('WEFT_GRAPHQL_MAX_COST', 20000, 10, 10_000_000),
    harvestOnStart: read.boolean('WEFT_HARVEST_ON_START', true),
    tlsCertFile,
    tlsKeyFile,
    exportDir: path.resolve(read.text('WEFT_EXPORT_DIR', './.weft/exports')),
    exportRetentionMinutes: read.integer('WEFT_EXPORT_RETENTION_MINUTES', 60, 1, 10_080),
    exportMaxWindowDays: read.integer('WEFT_EXPORT_MAX_WINDOW_DAYS', 366, 1, 36_600),
    webhookSecretsDir: optionalPath(read.optional('WEFT_WEBHOOK_SECRETS_DIR')),
  };

  const unknown = Object.keys(env).filter(
    (key) =>
      key.startsWith('WEFT_') &&
      !key.startsWith('WEFT_TEST_') &&
      !key.startsWith('WEFT_OPCUA_DEMO_') &&
      // The data fabric validates its own WEFT_FABRIC_* budgets (src/fabric/fabric-settings.ts).
      !key.startsWith('WEFT_FABRIC_') &&
      // Data product webhooks read their HMAC secrets from these (src/products/product-input.ts).
      !key.startsWith('WEFT_WEBHOOK_SECRET_') &&
      !SETTINGS.some((setting) => setting.name === key) &&
      ![
        'WEFT_ALLOW_PASSWORD_IN_URL',
        'WEFT_CORPUS_DIR',
        'WEFT_KEEP_TEST_ENV',
        'WEFT_E2E',
        'WEFT_DEMO_DIR',
      ].includes(key),
  );
  for (const key of unknown) {
    read.problems.push(
      `${key} is not a Weft setting: remove it or check its spelling (see docs/configuration.md)`,
    );
  }

  if (read.problems.length > 0) {
    throw new ConfigError(read.problems);
  }
  return config;
}

function readCode(
  read: Reader,
  name: string,
  fallback: string | null,
  allowed: string[],
): string | null {
  const raw = read.optional(name);
  if (raw === null) {
    return fallback;
  }
  if (!allowed.includes(raw)) {
    read.problems.push(`${name}="${raw}" is invalid: expected one of ${allowed.join(', ')}`);
    return fallback;
  }
  return raw;
}

function readEmail(read: Reader, name: string): string | null {
  const raw = read.optional(name);
  if (raw !== null && !/^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/.test(raw)) {
    read.problems.push(
      `${name}="${raw}" is invalid: expected an e-mail address such as data@site.example`,
    );
    return null;
  }
  return raw;
}

function readLanguage(read: Reader, name: string): string {
  const raw = read.text(name, 'ENG');
  if (!/^[A-Z]{3}$/.test(raw)) {
    read.problems.push(
      `${name}="${raw}" is invalid: expected a three-letter code of the EU language table in upper case, such as ENG or DEU`,
    );
    return 'ENG';
  }
  return raw;
}

function readThemes(read: Reader, name: string): string[] {
  const codes = read
    .text(name, 'TECH')
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '');
  const unknown = codes.filter((code) => DATA_THEMES[code] === undefined);
  if (unknown.length > 0) {
    read.problems.push(
      `${name} has unknown theme codes ${unknown.join(', ')}: use codes of the EU data theme vocabulary (${Object.keys(DATA_THEMES).join(', ')})`,
    );
    return codes.filter((code) => DATA_THEMES[code] !== undefined);
  }
  return codes;
}

function readShapesDir(read: Reader, name: string): string | null {
  const raw = read.optional(name);
  if (raw === null) {
    return null;
  }
  const missing = ['shapes.ttl', 'range.ttl'].filter((file) => !existsSync(path.join(raw, file)));
  if (missing.length > 0) {
    read.problems.push(
      `${name}=${raw} lacks ${missing.join(' and ')}: point it at a folder with the DCAT-AP 3 SHACL files shapes.ttl and range.ttl`,
    );
    return null;
  }
  return path.resolve(raw);
}

function optionalPath(raw: string | null | undefined): string | null {
  return raw === undefined || raw === null || raw.trim() === '' ? null : path.resolve(raw);
}
