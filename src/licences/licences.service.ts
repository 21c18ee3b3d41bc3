import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Injectable, IntrinsicException, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager, Repository } from 'typeorm';

import { setAccessPolicy } from '../access/access-policy.service';
import { actorName, hasRole } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { DatasetEntity } from '../catalog/entities/dataset.entity';
import type { AccessLevel } from '../catalog/entities/dataset.entity';
import { asJson } from '../common/json';
import { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import { LicenceEntity } from './licence.entity';
import {
  combineLicences,
  generatedLicence,
  LicenceCombinationError,
  matchLicence,
} from './licence-combination';
import type { LicensedInput } from './licence-combination';
import {
  checkAction,
  knownActionWords,
  LicencePolicyError,
  parseUsageAction,
  SPDX_POLICIES,
  validatePolicy,
} from './odrl-policy';
import type { ActionCheck } from './odrl-policy';

/** A licence a steward assigns: an existing id, or a new custom licence with its text. */
export interface LicenceChoice {
  licenceId?: string;
  custom?: {
    id: string;
    name: string;
    text: string;
    url?: string;
    /** ODRL rules as the steward gives them; validated before the licence is created. */
    policy?: Parameters<typeof validatePolicy>[1];
  };
}

export class LicenceError extends IntrinsicException {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID' | 'INCOMPATIBLE',
    message: string,
  ) {
    super(message);
    this.name = 'LicenceError';
  }
}

const CUSTOM_ID = /^LicenseRef-[A-Za-z0-9.-]{1,64}$/;
const LICENCE_FILE = path.resolve(__dirname, '../../../ontologies/licences/spdx-licences.json');

/**
 * Licences and their assignment to datasets. Only stewards (and admins)
 * assign; every change is written to the dataset's history with who made
 * it, when and why, in the same transaction as the change itself.
 */
@Injectable()
export class LicencesService implements OnModuleInit {
  private readonly logger = new Logger(LicencesService.name);

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const file = existsOrFallback(LICENCE_FILE);
    const { licences } = JSON.parse(readFileSync(file, 'utf8')) as {
      licences: Array<{ id: string; name: string; url: string }>;
    };
    await this.dataSource
      .getRepository(LicenceEntity)
      .createQueryBuilder()
      .insert()
      .values(
        licences.map((licence) => ({
          ...licence,
          text: null,
          isCustom: false,
          createdBy: null,
          policy: SPDX_POLICIES[licence.id] ?? null,
        })),
      )
      .orIgnore()
      .execute();

    // Policies are part of Weft, not of the stored row: refresh them on every start so a
    // corrected policy reaches databases seeded before.
    for (const licence of licences) {
      const policy = SPDX_POLICIES[licence.id];
      if (policy === undefined) {
        this.logger.warn({ msg: 'seeded licence has no ODRL policy', licenceId: licence.id });
        continue;
      }
      await this.dataSource
        .getRepository(LicenceEntity)
        .update({ id: licence.id, isCustom: false }, { policy });
    }
  }

  async list(): Promise<LicenceEntity[]> {
    return this.dataSource.getRepository(LicenceEntity).find({ order: { id: 'ASC' } });
  }

  async byId(id: string): Promise<LicenceEntity | null> {
    return this.dataSource.getRepository(LicenceEntity).findOne({ where: { id } });
  }

  async assign(
    datasetPid: string,
    choice: LicenceChoice,
    rightsHolder: string | null,
    reason: string,
    viewer: Viewer,
  ): Promise<DatasetEntity> {
    requireSteward(viewer, 'assign licences');
    const why = reason.trim();
    if (why === '') {
      throw new LicenceError(
        'INVALID',
        'reason is empty: say why the licence is assigned (it is kept in the dataset history)',
      );
    }

    return this.dataSource.transaction(async (manager) => {
      const datasets = manager.getRepository(DatasetEntity);
      const dataset = await datasets.findOne({
        where: { pid: datasetPid },
        lock: { mode: 'pessimistic_write' },
      });
      if (dataset === null) {
        throw new LicenceError(
          'NOT_FOUND',
          `dataset ${datasetPid} not found: check the identifier`,
        );
      }

      const licenceId = await this.resolveChoice(
        manager.getRepository(LicenceEntity),
        choice,
        viewer,
      );
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (dataset.licenceId !== licenceId) {
        changes.licence = { from: dataset.licenceId, to: licenceId };
      }
      if (rightsHolder !== null && dataset.rightsHolder !== rightsHolder) {
        changes.rightsHolder = { from: dataset.rightsHolder, to: rightsHolder };
      }
      if (Object.keys(changes).length === 0) {
        return dataset;
      }

      await datasets.update(
        { id: dataset.id },
        { licenceId, ...(rightsHolder === null ? {} : { rightsHolder }), modifiedAt: new Date() },
      );
      await manager.getRepository(DatasetChangeEntity).insert({
        datasetId: dataset.id,
        changeType: 'licence',
        changedAt: new Date(),
        changedBy: actorName(viewer),
        reason: why,
        changes: asJson(changes),
        activityPid: null,
      });
      this.logger.log({ msg: 'licence assigned', datasetPid, licenceId, by: actorName(viewer) });
      return datasets.findOneOrFail({ where: { id: dataset.id } });
    });
  }

  /** Change only the access level; the access policy service owns the rules and the history entry. */
  async setAccessLevel(
    datasetPid: string,
    accessLevel: AccessLevel,
    reason: string,
    viewer: Viewer,
  ): Promise<DatasetEntity> {
    return this.dataSource.transaction((manager) =>
      setAccessPolicy(manager, datasetPid, { accessLevel }, reason, viewer),
    );
  }

  /**
   * Check an action a reuser intends (`derive`, `odrl:commercialize`,
   * `query`, `export`) against a licence, with the reason when it is refused.
   */
  async allows(licenceId: string, actionText: string): Promise<ActionCheck> {
    const action = parseUsageAction(actionText);
    if (action === undefined) {
      throw new LicenceError(
        'INVALID',
        `action "${actionText.slice(0, 80)}" is not known: use one of ${knownActionWords().join(', ')}`,
      );
    }
    const licence = await this.byId(licenceId);
    if (licence === null) {
      throw new LicenceError(
        'NOT_FOUND',
        `licence "${licenceId.slice(0, 80)}" is not known: use an id from the licences query`,
      );
    }
    if (licence.policy === null) {
      return {
        allowed: false,
        action,
        reason: `licence ${licence.id} has no ODRL policy yet, so Weft cannot tell what it permits: read its text or ask a steward`,
        duties: [],
      };
    }
    return checkAction(licence.id, licence.policy, action);
  }

  /**
   * The licence of data derived from `inputs`: the most restrictive
   * combination of their licences, as an existing licence when one has
   * exactly that policy, otherwise as a generated custom licence created in
   * the same transaction. Throws a LicenceError with the reason when the
   * licences cannot be combined.
   */
  async licenceForDerivation(
    manager: EntityManager,
    inputs: Array<{ datasetPid: string; licenceId: string | null }>,
    viewer: Viewer,
  ): Promise<LicenceEntity> {
    const repository = manager.getRepository(LicenceEntity);
    const known = await repository.find({ order: { isCustom: 'ASC', id: 'ASC' } });
    const byId = new Map(known.map((licence) => [licence.id, licence]));
    const licensed: LicensedInput[] = inputs.map((input) => {
      const licence = input.licenceId === null ? undefined : byId.get(input.licenceId);
      return {
        datasetPid: input.datasetPid,
        licence: licence === undefined ? null : { id: licence.id, policy: licence.policy },
      };
    });

    let policy;
    try {
      policy = combineLicences(licensed);
    } catch (error) {
      if (error instanceof LicenceCombinationError) {
        throw new LicenceError('INCOMPATIBLE', error.message);
      }
      throw error;
    }

    const inputLicenceIds = licensed.flatMap((input) =>
      input.licence === null ? [] : [input.licence.id],
    );
    const matched = matchLicence(policy, inputLicenceIds, known);
    if (matched !== undefined) {
      return byId.get(matched) as LicenceEntity;
    }

    const generated = generatedLicence(policy, inputLicenceIds);
    await repository
      .createQueryBuilder()
      .insert()
      .values({
        id: generated.id,
        name: generated.name,
        text: generated.text,
        url: null,
        isCustom: true,
        createdBy: actorName(viewer),
        policy: generated.policy,
      })
      .orIgnore()
      .execute();
    this.logger.log({ msg: 'combined licence created', licenceId: generated.id, inputLicenceIds });
    return repository.findOneOrFail({ where: { id: generated.id } });
  }

  private async resolveChoice(
    licences: Repository<LicenceEntity>,
    choice: LicenceChoice,
    viewer: Viewer,
  ): Promise<string> {
    if ((choice.licenceId === undefined) === (choice.custom === undefined)) {
      throw new LicenceError(
        'INVALID',
        'give exactly one of licenceId (an SPDX identifier) or custom (id, name and text)',
      );
    }
    if (choice.licenceId !== undefined) {
      const existing = await licences.findOne({ where: { id: choice.licenceId } });
      if (existing === null) {
        throw new LicenceError(
          'NOT_FOUND',
          `licence "${choice.licenceId}" is not known: use an SPDX identifier from the licences query, or define a custom licence`,
        );
      }
      return existing.id;
    }

    const custom = choice.custom as NonNullable<LicenceChoice['custom']>;
    if (!CUSTOM_ID.test(custom.id)) {
      throw new LicenceError(
        'INVALID',
        `custom licence id "${custom.id}" is invalid: use LicenseRef- followed by letters, digits, dots or dashes (SPDX convention)`,
      );
    }
    if (custom.text.trim().length < 20) {
      throw new LicenceError(
        'INVALID',
        `custom licence "${custom.id}" needs its full text (at least 20 characters)`,
      );
    }
    const policy = toLicenceError(() => validatePolicy(custom.id, custom.policy));
    const existing = await licences.findOne({ where: { id: custom.id } });
    if (existing !== null) {
      if (existing.text !== custom.text) {
        throw new LicenceError(
          'INVALID',
          `custom licence "${custom.id}" already exists with another text: choose a new id for a new licence`,
        );
      }
      return existing.id;
    }
    await licences.insert({
      id: custom.id,
      name: custom.name,
      text: custom.text,
      url: custom.url ?? null,
      isCustom: true,
      createdBy: actorName(viewer),
      policy,
    });
    return custom.id;
  }
}

function requireSteward(viewer: Viewer, action: string): void {
  if (viewer.subject === null) {
    throw new LicenceError(
      'UNAUTHENTICATED',
      `anonymous requests cannot ${action}: sign in with an account that has the steward role`,
    );
  }
  if (!hasRole(viewer, 'steward')) {
    throw new LicenceError(
      'FORBIDDEN',
      `only data stewards may ${action}: sign in with an account that has the steward role`,
    );
  }
}

function toLicenceError<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof LicencePolicyError) {
      throw new LicenceError('INVALID', error.message);
    }
    throw error;
  }
}

function existsOrFallback(file: string): string {
  // Compiled code runs from dist/src/…, sources from src/…: find the ontologies folder from either.
  const candidates = [
    file,
    path.resolve(__dirname, '../../ontologies/licences/spdx-licences.json'),
    path.resolve(process.cwd(), 'ontologies/licences/spdx-licences.json'),
  ];
  for (const candidate of candidates) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      continue;
    }
  }
  throw new Error(`licence list not found; looked in ${candidates.join(', ')}`);
}
