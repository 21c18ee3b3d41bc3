import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import type { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import { fieldsFor } from './contract-check';
import type { ProductContract, QualityRules } from './product-contract.types';

/** Outcome of one check; `unknown` when the harvested metadata cannot tell. */
export type QualityStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** Kinds of quality checks run on harvested metadata. */
export type QualityCheckKind = 'availability' | 'contract' | 'range' | 'rate' | 'gap' | 'freshness';

export interface QualityCheckResult {
  check: QualityCheckKind;
  datasetPid: string;
  /** Contract field concerned, for range checks. */
  field: string | null;
  status: QualityStatus;
  /** Evidence for the status: a sentence with the values compared. */
  evidence: string;
}

/** The metadata of one member dataset the checks read. */
export interface MemberMetadata {
  dataset: Pick<DatasetEntity, 'pid' | 'status' | 'details' | 'temporalEnd' | 'lastHarvestedAt'>;
  properties: Array<Pick<ObservablePropertyEntity, 'name' | 'unit' | 'minimum' | 'maximum'>>;
  /** Open contract breach alerts of the dataset, as `breach field` texts. */
  openBreaches: string[];
}

/** Severity order used to pick a product's status: a failure outweighs a warning, a warning an unknown. */
const SEVERITY: Record<QualityStatus, number> = { pass: 0, unknown: 1, warn: 2, fail: 3 };

/** A gap up to this many sampling intervals passes; up to GAP_FAIL_FACTOR intervals warns. */
const GAP_WARN_FACTOR = 2;
const GAP_FAIL_FACTOR = 10;
/** A harvest older than the rule's limit warns, and fails beyond twice the limit. */
const FRESHNESS_FAIL_FACTOR = 2;

/** Return the worst status of a list of checks, or `unknown` for no checks at all. */
export function worstStatus(statuses: QualityStatus[]): QualityStatus {
  if (statuses.length === 0) {
    return 'unknown';
  }
  return statuses.reduce((worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst));
}

/** Run every check that the contract and rules define on one member dataset. */
export function checkMember(
  contract: ProductContract,
  rules: QualityRules,
  member: MemberMetadata,
  now: Date,
): QualityCheckResult[] {
  const pid = member.dataset.pid;
  if (member.dataset.status === 'withdrawn') {
    return [result('availability', pid, null, 'fail', 'the dataset is withdrawn from the catalog')];
  }

  const results: QualityCheckResult[] = [];
  if (fieldsFor(contract, pid).length > 0) {
    results.push(
      member.openBreaches.length === 0
        ? result('contract', pid, null, 'pass', 'no open contract breach')
        : result(
            'contract',
            pid,
            null,
            'fail',
            `open contract breaches: ${member.openBreaches.join('; ')}`,
          ),
    );
  }
  results.push(...rangeChecks(contract, member));
  const rate = rateCheck(rules, member);
  if (rate !== null) {
    results.push(rate);
  }
  const gap = gapCheck(contract, member, now);
  if (gap !== null) {
    results.push(gap);
  }
  const freshness = freshnessCheck(rules, member, now);
  if (freshness !== null) {
    results.push(freshness);
  }
  return results;
}

/** Observed minimum and maximum of each contract field with limits, against those limits. */
function rangeChecks(contract: ProductContract, member: MemberMetadata): QualityCheckResult[] {
  const pid = member.dataset.pid;
  const byName = new Map(member.properties.map((property) => [property.name, property]));
  const results: QualityCheckResult[] = [];

  for (const field of fieldsFor(contract, pid)) {
    if (field.minimum === null && field.maximum === null) {
      continue;
    }
    const limits = `contract ${field.minimum ?? '-∞'} to ${field.maximum ?? '∞'}`;
    const property = byName.get(field.name);
    if (property === undefined || property.minimum === null || property.maximum === null) {
      results.push(
        result('range', pid, field.name, 'unknown', `no observed range recorded; ${limits}`),
      );
      continue;
    }
    const unit = property.unit === null ? '' : ` ${property.unit}`;
    const observed = `observed ${property.minimum} to ${property.maximum}${unit}`;
    const below = field.minimum !== null && property.minimum < field.minimum;
    const above = field.maximum !== null && property.maximum > field.maximum;
    results.push(
      result('range', pid, field.name, below || above ? 'fail' : 'pass', `${observed}; ${limits}`),
    );
  }
  return results;
}

/** Message rate the harvester measured (MQTT `messagesPerMinute`), against the rules' limits. */
function rateCheck(rules: QualityRules, member: MemberMetadata): QualityCheckResult | null {
  if (rules.minMessagesPerMinute === null && rules.maxMessagesPerMinute === null) {
    return null;
  }
  const pid = member.dataset.pid;
  const limits = `limits ${rules.minMessagesPerMinute ?? 0} to ${rules.maxMessagesPerMinute ?? '∞'} per minute`;
  const rate = member.dataset.details.messagesPerMinute;
  if (typeof rate !== 'number') {
    return result('rate', pid, null, 'unknown', `the harvester records no message rate; ${limits}`);
  }
  const observed = `${rate} messages per minute; ${limits}`;
  if (rules.minMessagesPerMinute !== null && rate < rules.minMessagesPerMinute) {
    return result('rate', pid, null, 'fail', observed);
  }
  if (rules.maxMessagesPerMinute !== null && rate > rules.maxMessagesPerMinute) {
    return result('rate', pid, null, 'warn', observed);
  }
  return result('rate', pid, null, 'pass', observed);
}

/** Time since the last observation (end of temporal coverage), in sampling intervals. */
function gapCheck(
  contract: ProductContract,
  member: MemberMetadata,
  now: Date,
): QualityCheckResult | null {
  const interval = contract.samplingIntervalSeconds;
  if (interval === null) {
    return null;
  }
  const pid = member.dataset.pid;
  const last = member.dataset.temporalEnd;
  if (last === null) {
    return result('gap', pid, null, 'unknown', 'no last observation time recorded');
  }
  const gapSeconds = Math.max(0, Math.round((now.getTime() - last.getTime()) / 1000));
  const evidence = `last observation ${last.toISOString()}, ${gapSeconds} s ago; sampling interval ${interval} s`;
  if (gapSeconds <= interval * GAP_WARN_FACTOR) {
    return result('gap', pid, null, 'pass', evidence);
  }
  return result(
    'gap',
    pid,
    null,
    gapSeconds <= interval * GAP_FAIL_FACTOR ? 'warn' : 'fail',
    evidence,
  );
}

/** Age of the last harvest that saw the dataset, against the rules' limit. */
function freshnessCheck(
  rules: QualityRules,
  member: MemberMetadata,
  now: Date,
): QualityCheckResult | null {
  const limit = rules.maxHarvestAgeSeconds;
  if (limit === null) {
    return null;
  }
  const pid = member.dataset.pid;
  const last = member.dataset.lastHarvestedAt;
  const ageSeconds = Math.max(0, Math.round((now.getTime() - last.getTime()) / 1000));
  const evidence = `last harvested ${last.toISOString()}, ${ageSeconds} s ago; limit ${limit} s`;
  if (ageSeconds <= limit) {
    return result('freshness', pid, null, 'pass', evidence);
  }
  return result(
    'freshness',
    pid,
    null,
    ageSeconds <= limit * FRESHNESS_FAIL_FACTOR ? 'warn' : 'fail',
    evidence,
  );
}

function result(
  check: QualityCheckResult['check'],
  datasetPid: string,
  field: string | null,
  status: QualityStatus,
  evidence: string,
): QualityCheckResult {
  return { check, datasetPid, field, status, evidence };
}
