import { existsSync, realpathSync } from 'node:fs';
import path, { isAbsolute } from 'node:path';

import type { AccessLevel } from '../catalog/entities/dataset.entity';
import type { ValueDatatype } from '../harvest/harvest.types';
import type {
  ContractField,
  OwnerKind,
  ProductContract,
  QualityRules,
  WebhookTarget,
} from './product-contract.types';
import { ProductError } from './products.error';

/** A contract field as a steward writes it; omitted parts are not promised. */
export interface ContractFieldDraft {
  name: string;
  dataset?: string | null;
  datatype?: string | null;
  unit?: string | null;
  minimum?: number | null;
  maximum?: number | null;
}

export interface ContractDraft {
  fields: ContractFieldDraft[];
  samplingIntervalSeconds?: number | null;
}

export interface QualityRulesDraft {
  maxHarvestAgeSeconds?: number | null;
  minMessagesPerMinute?: number | null;
  maxMessagesPerMinute?: number | null;
}

export interface WebhookDraft {
  url: string;
  secretEnv?: string | null;
  secretFile?: string | null;
}

/** Everything a steward sends to create a product, before validation. */
export interface DataProductDraft {
  key: string;
  title: string;
  description?: string | null;
  ownerName: string;
  ownerKind: string;
  ownerContact?: string | null;
  /** Persistent identifiers of the member datasets. */
  datasets: string[];
  contract?: ContractDraft | null;
  qualityRules?: QualityRulesDraft | null;
  defaultAccessLevel?: AccessLevel | null;
  webhook?: WebhookDraft | null;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const DATATYPES: readonly ValueDatatype[] = [
  'xsd:boolean',
  'xsd:integer',
  'xsd:double',
  'xsd:string',
  'xsd:dateTime',
  'xsd:base64Binary',
  'rdf:JSON',
];
const MAX_DATASETS = 500;
const MAX_FIELDS = 200;
const ONE_YEAR_SECONDS = 366 * 24 * 3600;

export function validKey(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw invalid(
      `key "${key}" is invalid: use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit`,
    );
  }
  return key;
}

export function validText(value: string, name: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > maxLength || trimmed.includes('\u0000')) {
    throw invalid(
      `${name} must be 1 to ${maxLength} characters without NUL: got ${trimmed.length}`,
    );
  }
  return trimmed;
}

export function optionalText(
  value: string | null | undefined,
  name: string,
  maxLength: number,
): string | null {
  if (value === undefined || value === null || value.trim() === '') {
    return null;
  }
  return validText(value, name, maxLength);
}

export function validOwnerKind(kind: string): OwnerKind {
  if (kind !== 'team' && kind !== 'place') {
    throw invalid(`ownerKind "${kind}" is invalid: use "team" or "place"`);
  }
  return kind;
}

export function checkDatasetCount(datasets: string[]): void {
  if (datasets.length > MAX_DATASETS) {
    throw invalid(
      `datasets lists ${datasets.length} identifiers, above the maximum of ${MAX_DATASETS} per product: split the product`,
    );
  }
}

/** Validate a contract; `memberPids` are the full identifiers its per-dataset fields may name. */
export function validContract(
  draft: ContractDraft | null | undefined,
  memberPids: ReadonlySet<string>,
  parsePid: (text: string) => string | undefined,
): ProductContract {
  if (draft === undefined || draft === null) {
    return { fields: [], samplingIntervalSeconds: null };
  }
  if (draft.fields.length > MAX_FIELDS) {
    throw invalid(`contract has ${draft.fields.length} fields: give at most ${MAX_FIELDS}`);
  }
  const seen = new Set<string>();
  const fields = draft.fields.map((field, index) => {
    const valid = validField(field, index, memberPids, parsePid);
    const key = `${valid.dataset ?? '*'}\u0000${valid.name}`;
    if (seen.has(key)) {
      throw invalid(
        `contract.fields[${index}] repeats field "${valid.name}": list each field once`,
      );
    }
    seen.add(key);
    return valid;
  });
  const interval = draft.samplingIntervalSeconds ?? null;
  if (
    interval !== null &&
    !(Number.isFinite(interval) && interval > 0 && interval <= ONE_YEAR_SECONDS)
  ) {
    throw invalid(
      `contract.samplingIntervalSeconds ${interval} is out of range: give seconds between two observations, above 0 and at most ${ONE_YEAR_SECONDS}`,
    );
  }
  return { fields, samplingIntervalSeconds: interval };
}

function validField(
  draft: ContractFieldDraft,
  index: number,
  memberPids: ReadonlySet<string>,
  parsePid: (text: string) => string | undefined,
): ContractField {
  const where = `contract.fields[${index}]`;
  const name = validText(draft.name, `${where}.name`, 500);

  let dataset: string | null = null;
  if (draft.dataset !== undefined && draft.dataset !== null) {
    const pid = parsePid(draft.dataset);
    if (pid === undefined || !memberPids.has(pid)) {
      throw invalid(
        `${where}.dataset "${draft.dataset}" is not a member dataset of the product: add it to datasets or leave dataset out to apply the field to every member`,
      );
    }
    dataset = pid;
  }

  let datatype: ValueDatatype | null = null;
  if (draft.datatype !== undefined && draft.datatype !== null) {
    const found = DATATYPES.find((candidate) => candidate === draft.datatype);
    if (found === undefined) {
      throw invalid(
        `${where}.datatype "${draft.datatype}" is unknown: use one of ${DATATYPES.join(', ')}`,
      );
    }
    datatype = found;
  }

  const unit = optionalText(draft.unit, `${where}.unit`, 64);
  const minimum = finiteOrNull(draft.minimum, `${where}.minimum`);
  const maximum = finiteOrNull(draft.maximum, `${where}.maximum`);
  if (minimum !== null && maximum !== null && minimum > maximum) {
    throw invalid(`${where} has minimum ${minimum} above maximum ${maximum}: swap them`);
  }
  return { name, dataset, datatype, unit, minimum, maximum };
}

export function validQualityRules(draft: QualityRulesDraft | null | undefined): QualityRules {
  const maxHarvestAgeSeconds = positiveOrNull(
    draft?.maxHarvestAgeSeconds,
    'qualityRules.maxHarvestAgeSeconds',
  );
  const minMessagesPerMinute = positiveOrNull(
    draft?.minMessagesPerMinute,
    'qualityRules.minMessagesPerMinute',
  );
  const maxMessagesPerMinute = positiveOrNull(
    draft?.maxMessagesPerMinute,
    'qualityRules.maxMessagesPerMinute',
  );
  if (
    minMessagesPerMinute !== null &&
    maxMessagesPerMinute !== null &&
    minMessagesPerMinute > maxMessagesPerMinute
  ) {
    throw invalid(
      `qualityRules.minMessagesPerMinute ${minMessagesPerMinute} is above maxMessagesPerMinute ${maxMessagesPerMinute}: swap them`,
    );
  }
  return { maxHarvestAgeSeconds, minMessagesPerMinute, maxMessagesPerMinute };
}

/**
 * Validate a webhook: an http or https URL without credentials (the URL is
 * stored and shown to stewards, so it must not carry a secret), and exactly
 * one reference to the HMAC secret.
 */
/** Prefix of the environment variables a webhook may take its secret from. */
export const WEBHOOK_SECRET_ENV_PREFIX = 'WEFT_WEBHOOK_SECRET_';

export function validWebhook(
  draft: WebhookDraft | null | undefined,
  secretsDir: string | null,
): WebhookTarget | null {
  if (draft === undefined || draft === null) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(draft.url);
  } catch {
    throw invalid(`webhook.url "${draft.url}" is not a URL: give an absolute http or https URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(
      `webhook.url "${draft.url}" uses ${url.protocol}: Weft posts alerts only to http or https URLs`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(
      'webhook.url contains a user name or password: remove them, because the receiver checks the X-Weft-Signature-256 header instead',
    );
  }
  if (draft.url.length > 2000) {
    throw invalid(`webhook.url is ${draft.url.length} characters long: give at most 2000`);
  }

  const env = draft.secretEnv ?? null;
  const file = draft.secretFile ?? null;
  if ((env === null) === (file === null)) {
    throw invalid(
      'webhook needs exactly one of secretEnv (an environment variable name) or secretFile (an absolute path) holding the HMAC secret',
    );
  }
  // Stewards name the secret, so it must come from where the operator put webhook secrets:
  // otherwise a steward could make any password on the server the signing key.
  if (env !== null) {
    if (!ENV_NAME_PATTERN.test(env)) {
      throw invalid(
        `webhook.secretEnv "${env}" is not an environment variable name: use letters, digits and _`,
      );
    }
    if (!env.startsWith(WEBHOOK_SECRET_ENV_PREFIX) || env === WEBHOOK_SECRET_ENV_PREFIX) {
      throw invalid(
        `webhook.secretEnv "${env}" does not start with ${WEBHOOK_SECRET_ENV_PREFIX}: ask the operator for a variable of that name`,
      );
    }
    return { url: url.toString(), secret: { env } };
  }
  if (file === null || !isAbsolute(file)) {
    throw invalid(
      `webhook.secretFile "${file}" is not an absolute path: give the full path of the secret file`,
    );
  }
  if (secretsDir === null) {
    throw invalid(
      `webhook.secretFile is not allowed on this server (WEFT_WEBHOOK_SECRETS_DIR is unset): use secretEnv with a ${WEBHOOK_SECRET_ENV_PREFIX}* variable`,
    );
  }
  // A symlink in the folder must not lead out of it.
  const resolved = existsSync(file) ? realpathSync(file) : path.resolve(file);
  const folder = existsSync(secretsDir) ? realpathSync(secretsDir) : secretsDir;
  const relative = path.relative(folder, resolved);
  if (relative === '' || relative.startsWith('..') || isAbsolute(relative)) {
    throw invalid(
      `webhook.secretFile "${file}" is outside ${secretsDir}: put the secret file in that folder (WEFT_WEBHOOK_SECRETS_DIR)`,
    );
  }
  return { url: url.toString(), secret: { file } };
}

function finiteOrNull(value: number | null | undefined, name: string): number | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (!Number.isFinite(value)) {
    throw invalid(`${name} ${value} is not a finite number`);
  }
  return value;
}

function positiveOrNull(value: number | null | undefined, name: string): number | null {
  const number = finiteOrNull(value, name);
  if (number !== null && number <= 0) {
    throw invalid(`${name} ${number} must be above 0, or null to skip the check`);
  }
  return number;
}

function invalid(message: string): ProductError {
  return new ProductError('INVALID', message);
}
