/**
 * Licences as ODRL 2.2 policies: what a licence permits, what it requires
 * in return (duties) and what it forbids. Actions are terms of the ODRL
 * Common Vocabulary (https://www.w3.org/TR/odrl-vocab/) and the Creative
 * Commons terms that vocabulary includes (cc:ShareAlike, cc:Notice).
 */

/** Things a reuser may be permitted or forbidden to do with the data. */
export const USAGE_ACTIONS = [
  'odrl:use',
  'odrl:reproduce',
  'odrl:distribute',
  'odrl:derive',
  'odrl:commercialize',
] as const;
export type UsageAction = (typeof USAGE_ACTIONS)[number];

/** Duties a licence attaches to its permissions. */
export const DUTY_ACTIONS = ['odrl:attribute', 'cc:ShareAlike', 'cc:Notice'] as const;
export type DutyAction = (typeof DUTY_ACTIONS)[number];

/** A duty; share-alike names the licence that derived data must carry. */
export interface LicenceDuty {
  action: DutyAction;
  /** For cc:ShareAlike only: the licence derived data must be released under. */
  licence?: string;
}

/** The rules of one licence, kept in the licence table as JSON. */
export interface LicencePolicy {
  permissions: UsageAction[];
  duties: LicenceDuty[];
  prohibitions: UsageAction[];
}

const ALL: UsageAction[] = [...USAGE_ACTIONS];
const NON_COMMERCIAL: UsageAction[] = [
  'odrl:use',
  'odrl:reproduce',
  'odrl:distribute',
  'odrl:derive',
];
const NO_DERIVATIVES: UsageAction[] = [
  'odrl:use',
  'odrl:reproduce',
  'odrl:distribute',
  'odrl:commercialize',
];
const ATTRIBUTE: LicenceDuty = { action: 'odrl:attribute' };
const NOTICE: LicenceDuty = { action: 'cc:Notice' };

function shareAlike(licence: string): LicenceDuty {
  return { action: 'cc:ShareAlike', licence };
}

/**
 * Policies of the SPDX licences Weft seeds, read from each licence's own
 * text: attribution where the licence requires crediting the source, notice
 * where it requires keeping its text or notices with copies, share-alike where
 * adaptations must carry the same licence.
 */
export const SPDX_POLICIES: Readonly<Record<string, LicencePolicy>> = {
  'CC0-1.0': { permissions: ALL, duties: [], prohibitions: [] },
  'PDDL-1.0': { permissions: ALL, duties: [], prohibitions: [] },
  'CC-BY-4.0': { permissions: ALL, duties: [ATTRIBUTE], prohibitions: [] },
  'ODC-By-1.0': { permissions: ALL, duties: [ATTRIBUTE], prohibitions: [] },
  'DL-DE-BY-2.0': { permissions: ALL, duties: [ATTRIBUTE], prohibitions: [] },
  'OGL-UK-3.0': { permissions: ALL, duties: [ATTRIBUTE], prohibitions: [] },
  'etalab-2.0': { permissions: ALL, duties: [ATTRIBUTE], prohibitions: [] },
  'CDLA-Permissive-2.0': { permissions: ALL, duties: [NOTICE], prohibitions: [] },
  MIT: { permissions: ALL, duties: [ATTRIBUTE, NOTICE], prohibitions: [] },
  'Apache-2.0': { permissions: ALL, duties: [ATTRIBUTE, NOTICE], prohibitions: [] },
  'CC-BY-SA-4.0': {
    permissions: ALL,
    duties: [ATTRIBUTE, shareAlike('CC-BY-SA-4.0')],
    prohibitions: [],
  },
  'CC-BY-NC-4.0': {
    permissions: NON_COMMERCIAL,
    duties: [ATTRIBUTE],
    prohibitions: ['odrl:commercialize'],
  },
  'CC-BY-NC-SA-4.0': {
    permissions: NON_COMMERCIAL,
    duties: [ATTRIBUTE, shareAlike('CC-BY-NC-SA-4.0')],
    prohibitions: ['odrl:commercialize'],
  },
  'CC-BY-ND-4.0': {
    permissions: NO_DERIVATIVES,
    duties: [ATTRIBUTE],
    prohibitions: ['odrl:derive'],
  },
  'ODbL-1.0': {
    permissions: ALL,
    duties: [ATTRIBUTE, NOTICE, shareAlike('ODbL-1.0')],
    prohibitions: [],
  },
  'CDLA-Sharing-1.0': {
    permissions: ALL,
    duties: [ATTRIBUTE, NOTICE, shareAlike('CDLA-Sharing-1.0')],
    prohibitions: [],
  },
};

/** IRI of a licence's ODRL policy: Weft's own URN, so it never claims an IRI of the licence's publisher. */
export function licencePolicyIri(licenceId: string): string {
  return `urn:weft:licence-policy:${encodeURIComponent(licenceId)}`;
}

/** Words a reuser may use for an action, besides the ODRL terms themselves. */
const ACTION_ALIASES: Readonly<Record<string, UsageAction>> = {
  use: 'odrl:use',
  query: 'odrl:use',
  read: 'odrl:use',
  reproduce: 'odrl:reproduce',
  export: 'odrl:reproduce',
  copy: 'odrl:reproduce',
  distribute: 'odrl:distribute',
  share: 'odrl:distribute',
  publish: 'odrl:distribute',
  derive: 'odrl:derive',
  combine: 'odrl:derive',
  commercialize: 'odrl:commercialize',
  'commercial-use': 'odrl:commercialize',
};

const ACTION_WORDS: Readonly<Record<UsageAction, string>> = {
  'odrl:use': 'use the data',
  'odrl:reproduce': 'make copies of the data',
  'odrl:distribute': 'share the data with others',
  'odrl:derive': 'create derived data from it',
  'odrl:commercialize': 'use the data commercially',
};

/** The error of a policy that is missing a part or has a term outside the vocabulary. */
export class LicencePolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LicencePolicyError';
  }
}

/**
 * Read an action a reuser names (`derive`, `odrl:derive`, `query`, `export`)
 * as its ODRL term; returns undefined for a word outside the list.
 */
export function parseUsageAction(text: string): UsageAction | undefined {
  const word = text.trim();
  if ((USAGE_ACTIONS as readonly string[]).includes(word)) {
    return word as UsageAction;
  }
  return ACTION_ALIASES[word.toLowerCase()];
}

/** List every word {@link parseUsageAction} accepts, for error messages. */
export function knownActionWords(): string[] {
  return [...USAGE_ACTIONS, ...Object.keys(ACTION_ALIASES)];
}

/** The outcome of checking one action against a licence. */
export interface ActionCheck {
  allowed: boolean;
  action: UsageAction;
  /** The reason the action is refused, or the duties in words when it is allowed. */
  reason: string;
  /** Duties that come with the permission; empty when refused. */
  duties: LicenceDuty[];
}

/**
 * Check an action against a licence's policy. A prohibition wins over a
 * permission; an action that is neither permitted nor prohibited is
 * refused, because ODRL grants only what a policy permits.
 */
export function checkAction(
  licenceId: string,
  policy: LicencePolicy,
  action: UsageAction,
): ActionCheck {
  if (policy.prohibitions.includes(action)) {
    return {
      allowed: false,
      action,
      reason: `licence ${licenceId} prohibits ${action}: you may not ${ACTION_WORDS[action]}`,
      duties: [],
    };
  }
  if (!policy.permissions.includes(action)) {
    return {
      allowed: false,
      action,
      reason: `licence ${licenceId} does not permit ${action}: you may not ${ACTION_WORDS[action]} without the rights holder's consent`,
      duties: [],
    };
  }
  const duties = policy.duties.map(dutyInWords);
  return {
    allowed: true,
    action,
    reason:
      duties.length === 0
        ? `licence ${licenceId} permits ${action} without conditions`
        : `licence ${licenceId} permits ${action} if you ${duties.join(', and ')}`,
    duties: policy.duties,
  };
}

/** Write a duty as a phrase that completes "you must …". */
export function dutyInWords(duty: LicenceDuty): string {
  switch (duty.action) {
    case 'odrl:attribute':
      return 'credit the source (attribution)';
    case 'cc:Notice':
      return 'keep the licence and copyright notices with every copy';
    case 'cc:ShareAlike':
      return `release derived data under ${duty.licence ?? 'the same licence'} (share-alike)`;
  }
}

/** Write a usage action as a phrase that completes "you may …". */
export function actionInWords(action: UsageAction): string {
  return ACTION_WORDS[action];
}

/**
 * Validate a policy a steward gives for a custom licence, naming the part
 * that is missing or wrong. Each of permissions, duties and prohibitions
 * must be given (an empty list states that there are none), permissions
 * must not be empty, and no action may be both permitted and prohibited.
 */
export function validatePolicy(
  licenceId: string,
  policy:
    | {
        permissions?: string[] | null;
        duties?: Array<{ action: string; licence?: string | null }> | null;
        prohibitions?: string[] | null;
      }
    | null
    | undefined,
): LicencePolicy {
  const where = `custom licence "${licenceId}"`;
  if (policy === null || policy === undefined) {
    throw new LicencePolicyError(
      `${where} has no policy: give policy { permissions, duties, prohibitions } with ODRL actions (${USAGE_ACTIONS.join(', ')})`,
    );
  }
  for (const part of ['permissions', 'duties', 'prohibitions'] as const) {
    if (policy[part] === null || policy[part] === undefined) {
      throw new LicencePolicyError(
        `${where} has no policy.${part}: give the list (an empty list when there are none)`,
      );
    }
  }

  const permissions = usageActions(where, 'permissions', policy.permissions ?? []);
  const prohibitions = usageActions(where, 'prohibitions', policy.prohibitions ?? []);
  if (permissions.length === 0) {
    throw new LicencePolicyError(
      `${where} has an empty policy.permissions: a licence must permit at least odrl:use`,
    );
  }
  const both = permissions.filter((action) => prohibitions.includes(action));
  if (both.length > 0) {
    throw new LicencePolicyError(
      `${where} both permits and prohibits ${both.join(', ')}: remove it from one of policy.permissions and policy.prohibitions`,
    );
  }

  const duties = (policy.duties ?? []).map((duty, index): LicenceDuty => {
    if (!(DUTY_ACTIONS as readonly string[]).includes(duty.action)) {
      throw new LicencePolicyError(
        `${where} has an unknown duty "${duty.action}" at policy.duties[${index}]: use one of ${DUTY_ACTIONS.join(', ')}`,
      );
    }
    const action = duty.action as DutyAction;
    if (action === 'cc:ShareAlike') {
      return { action, licence: duty.licence ?? licenceId };
    }
    return { action };
  });
  return normalizePolicy({ permissions, duties, prohibitions });
}

function usageActions(where: string, part: string, values: string[]): UsageAction[] {
  return values.map((value, index) => {
    if (!(USAGE_ACTIONS as readonly string[]).includes(value)) {
      throw new LicencePolicyError(
        `${where} has an unknown action "${value}" at policy.${part}[${index}]: use one of ${USAGE_ACTIONS.join(', ')}`,
      );
    }
    return value as UsageAction;
  });
}

/** Sort and deduplicate a policy's rules, so equal policies have equal JSON. */
export function normalizePolicy(policy: LicencePolicy): LicencePolicy {
  const order = (action: string): number =>
    [...USAGE_ACTIONS, ...DUTY_ACTIONS].indexOf(action as UsageAction & DutyAction);
  const byOrder = (a: string, b: string): number => order(a) - order(b);
  const duties = new Map<string, LicenceDuty>();
  for (const duty of policy.duties) {
    duties.set(`${duty.action}|${duty.licence ?? ''}`, duty);
  }
  return {
    permissions: [...new Set(policy.permissions)].sort(byOrder),
    duties: [...duties.values()].sort(
      (a, b) => byOrder(a.action, b.action) || (a.licence ?? '').localeCompare(b.licence ?? ''),
    ),
    prohibitions: [...new Set(policy.prohibitions)].sort(byOrder),
  };
}

/** True when two policies have the same rules, in any order. */
export function samePolicy(a: LicencePolicy, b: LicencePolicy): boolean {
  return JSON.stringify(normalizePolicy(a)) === JSON.stringify(normalizePolicy(b));
}
