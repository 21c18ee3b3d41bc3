import type { AccessLevel, DatasetEntity } from '../catalog/entities/dataset.entity';
import { AccessPolicyError } from './access-policy.error';

/** The access level, named roles and embargo of a dataset, which a steward sets together. */
export interface AccessPolicy {
  accessLevel: AccessLevel;
  accessRoles: string[];
  embargoUntil: Date | null;
}

/**
 * A steward's requested change. An omitted `accessRoles` keeps the current
 * roles while the level stays `restricted`, and clears them otherwise. An
 * omitted `embargoUntil` keeps the current embargo, and null lifts it.
 */
export interface AccessPolicyChange {
  accessLevel: AccessLevel;
  accessRoles?: string[];
  embargoUntil?: Date | null;
}

/** Realm role names as Keycloak allows them in practice: no spaces or commas, at most 100 characters. */
const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,99}$/;
const MAX_ROLES = 20;

/**
 * The policy that results from applying `change` to `current`, after
 * checking it. Raises an {@link AccessPolicyError} naming the bad value and
 * the fix.
 */
export function nextPolicy(
  current: Pick<DatasetEntity, 'accessLevel' | 'accessRoles' | 'embargoUntil'>,
  change: AccessPolicyChange,
  now: Date,
): AccessPolicy {
  const accessRoles = nextRoles(current, change);
  const embargoUntil =
    change.embargoUntil === undefined ? current.embargoUntil : change.embargoUntil;
  if (change.embargoUntil !== undefined && change.embargoUntil !== null) {
    checkEmbargo(change.embargoUntil, now);
  }
  return { accessLevel: change.accessLevel, accessRoles, embargoUntil };
}

function nextRoles(
  current: Pick<DatasetEntity, 'accessLevel' | 'accessRoles'>,
  change: AccessPolicyChange,
): string[] {
  if (change.accessRoles === undefined) {
    return change.accessLevel === 'restricted' && current.accessLevel === 'restricted'
      ? current.accessRoles
      : [];
  }
  if (change.accessRoles.length > 0 && change.accessLevel !== 'restricted') {
    throw new AccessPolicyError(
      'INVALID',
      `accessRoles [${change.accessRoles.join(', ')}] apply only to RESTRICTED datasets, but accessLevel is ${change.accessLevel.toUpperCase()}: set accessLevel to RESTRICTED, or send accessRoles: []`,
    );
  }
  if (change.accessRoles.length > MAX_ROLES) {
    throw new AccessPolicyError(
      'INVALID',
      `accessRoles has ${change.accessRoles.length} roles: name at most ${MAX_ROLES}, or give the readers one shared realm role in Keycloak`,
    );
  }
  for (const role of change.accessRoles) {
    if (!ROLE_NAME.test(role)) {
      throw new AccessPolicyError(
        'INVALID',
        `access role "${role.slice(0, 120)}" is not a valid realm role name: use letters, digits and _ . : @ - (up to 100 characters), as the role is named in Keycloak`,
      );
    }
  }
  return [...new Set(change.accessRoles)].sort();
}

function checkEmbargo(embargoUntil: Date, now: Date): void {
  const time = embargoUntil instanceof Date ? embargoUntil.getTime() : Number.NaN;
  if (Number.isNaN(time) || embargoUntil.getUTCFullYear() > 9999) {
    throw new AccessPolicyError(
      'INVALID',
      'embargoUntil is not a valid time: give an ISO 8601 date-time such as 2027-01-31T00:00:00Z',
    );
  }
  if (time <= now.getTime()) {
    throw new AccessPolicyError(
      'INVALID',
      `embargoUntil ${embargoUntil.toISOString()} is not in the future: give a later time, or send embargoUntil: null to lift the embargo`,
    );
  }
}

/** The fields that differ between two policies, as `{ field: { from, to } }` for the history. */
export function policyChanges(
  before: AccessPolicy,
  after: AccessPolicy,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.accessLevel !== after.accessLevel) {
    changes.accessLevel = { from: before.accessLevel, to: after.accessLevel };
  }
  if (before.accessRoles.join('\n') !== after.accessRoles.join('\n')) {
    changes.accessRoles = { from: before.accessRoles, to: after.accessRoles };
  }
  const fromEmbargo = before.embargoUntil?.toISOString() ?? null;
  const toEmbargo = after.embargoUntil?.toISOString() ?? null;
  if (fromEmbargo !== toEmbargo) {
    changes.embargoUntil = { from: fromEmbargo, to: toEmbargo };
  }
  return changes;
}
