import { createHash } from 'node:crypto';

import { actionInWords, dutyInWords, normalizePolicy, samePolicy } from './odrl-policy';
import type { LicenceDuty, LicencePolicy, UsageAction } from './odrl-policy';

/** One input of a derivation: a dataset and its licence, or null when it has none. */
export interface LicensedInput {
  datasetPid: string;
  licence: { id: string; policy: LicencePolicy | null } | null;
}

/** A licence a combination can map to. */
export interface KnownLicence {
  id: string;
  policy: LicencePolicy | null;
}

/** The error of a combination that is rejected; the message names the inputs and their licences. */
export class LicenceCombinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LicenceCombinationError';
  }
}

/**
 * Combine the licences of a derivation's inputs into the most restrictive
 * policy that honours all of them: the permissions every input grants, and
 * every input's duties and prohibitions.
 *
 * Throws a LicenceCombinationError that names the inputs for: an input
 * without a licence or without a policy (nothing is granted), an input
 * whose licence does not permit odrl:derive, and two inputs under
 * different share-alike licences. It also throws when an input is under a
 * share-alike licence and another input adds a restriction or duty that
 * licence does not have, because the result could not be released under it.
 */
export function combineLicences(inputs: LicensedInput[]): LicencePolicy {
  if (inputs.length === 0) {
    throw new LicenceCombinationError('a derivation needs at least one input dataset');
  }

  const policies: Array<{ input: LicensedInput; id: string; policy: LicencePolicy }> = [];
  for (const input of inputs) {
    if (input.licence === null) {
      throw new LicenceCombinationError(
        `input dataset ${input.datasetPid} has no licence, so nothing permits deriving data from it: ask a steward to assign one`,
      );
    }
    if (input.licence.policy === null) {
      throw new LicenceCombinationError(
        `licence ${input.licence.id} of input dataset ${input.datasetPid} has no ODRL policy, so its permissions are unknown: ask a steward to give the licence a policy`,
      );
    }
    const policy = input.licence.policy;
    if (
      policy.prohibitions.includes('odrl:derive') ||
      !policy.permissions.includes('odrl:derive')
    ) {
      throw new LicenceCombinationError(
        `licence ${input.licence.id} of input dataset ${input.datasetPid} does not permit odrl:derive (no derivatives): leave that dataset out of the query`,
      );
    }
    policies.push({ input, id: input.licence.id, policy });
  }

  const shareAlike = new Map<string, string[]>();
  for (const { input, policy } of policies) {
    for (const duty of policy.duties) {
      if (duty.action === 'cc:ShareAlike' && duty.licence !== undefined) {
        shareAlike.set(duty.licence, [...(shareAlike.get(duty.licence) ?? []), input.datasetPid]);
      }
    }
  }
  if (shareAlike.size > 1) {
    const parts = [...shareAlike].map(([licence, pids]) => `${pids.join(', ')} under ${licence}`);
    throw new LicenceCombinationError(
      `the inputs are under different share-alike licences (${parts.join('; ')}): each requires derived data under itself, so they cannot be combined`,
    );
  }

  const combined = normalizePolicy({
    permissions: policies
      .map(({ policy }) => policy.permissions)
      .reduce((kept, next) => kept.filter((action) => next.includes(action))),
    duties: policies.flatMap(({ policy }) => policy.duties),
    prohibitions: policies.flatMap(({ policy }) => policy.prohibitions),
  });

  const [required] = [...shareAlike.keys()];
  if (required !== undefined) {
    const carrier = policies.find(({ id }) => id === required);
    if (carrier !== undefined && !samePolicy(carrier.policy, combined)) {
      const others = policies
        .filter(
          ({ policy }) => !samePolicy(policy, carrier.policy) && !isWeaker(policy, carrier.policy),
        )
        .map(({ input, id }) => `${input.datasetPid} under ${id}`);
      throw new LicenceCombinationError(
        `input ${carrier.input.datasetPid} is under ${required}, which requires derived data under ${required}, ` +
          `but ${others.join(', ')} adds terms ${required} does not have: the combination cannot be released under ${required}`,
      );
    }
  }
  return combined;
}

/** True when `policy` requires nothing that `than` does not already require. */
function isWeaker(policy: LicencePolicy, than: LicencePolicy): boolean {
  return (
    than.permissions.every((action) => policy.permissions.includes(action)) &&
    policy.prohibitions.every((action) => than.prohibitions.includes(action)) &&
    policy.duties.every((duty) =>
      than.duties.some((other) => other.action === duty.action && other.licence === duty.licence),
    )
  );
}

/**
 * Find the licence whose policy equals the combination: an input's licence
 * first (in input order), then any other known licence in the given order.
 */
export function matchLicence(
  policy: LicencePolicy,
  inputLicenceIds: string[],
  known: KnownLicence[],
): string | undefined {
  const byId = new Map(known.map((licence) => [licence.id, licence]));
  for (const id of inputLicenceIds) {
    const licence = byId.get(id);
    if (
      licence?.policy !== null &&
      licence?.policy !== undefined &&
      samePolicy(licence.policy, policy)
    ) {
      return id;
    }
  }
  return known.find((licence) => licence.policy !== null && samePolicy(licence.policy, policy))?.id;
}

/** A custom licence generated for a combination no known licence matches. */
export interface GeneratedLicence {
  id: string;
  name: string;
  text: string;
  policy: LicencePolicy;
}

/**
 * Describe a combination as a custom licence. The id is derived from the
 * policy, so the same combination always gets the same licence.
 */
export function generatedLicence(
  policy: LicencePolicy,
  inputLicenceIds: string[],
): GeneratedLicence {
  const normalized = normalizePolicy(policy);
  const hash = createHash('sha256').update(JSON.stringify(normalized)).digest('hex').slice(0, 12);
  const sources = [...new Set(inputLicenceIds)].sort();
  return {
    id: `LicenseRef-weft-combined-${hash}`,
    name: `Combination of ${sources.join(' and ')}`,
    text: policyInWords(normalized, sources),
    policy: normalized,
  };
}

/** Write a policy in plain words, for generated licence texts and landing pages. */
export function policyInWords(policy: LicencePolicy, sources: string[] = []): string {
  const lines: string[] = [];
  if (sources.length > 0) {
    lines.push(
      `This data was derived from data under ${sources.join(', ')}, and these terms honour all of them.`,
    );
  }
  lines.push(`You may ${listInWords(policy.permissions.map(actionInWords))}.`);
  if (policy.duties.length > 0) {
    lines.push(
      `You must ${listInWords(policy.duties.map((duty: LicenceDuty) => dutyInWords(duty)))}.`,
    );
  }
  if (policy.prohibitions.length > 0) {
    lines.push(
      `You may not ${listInWords(policy.prohibitions.map((action: UsageAction) => actionInWords(action)))}.`,
    );
  }
  return lines.join(' ');
}

function listInWords(items: string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
