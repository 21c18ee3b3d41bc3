import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';

import { actorName, hasRole } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { DatasetEntity } from '../catalog/entities/dataset.entity';
import { asJson } from '../common/json';
import { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import { AccessPolicyError } from './access-policy.error';
import { nextPolicy, policyChanges } from './access-policy';
import type { AccessPolicyChange } from './access-policy';
import { refreshDerivedAccessLevels } from '../derived/derived-access-level';

/**
 * Changes a dataset's access policy (level, named roles, embargo). Only
 * stewards and admins may. Each change is written to the dataset's history
 * with who, when and why, in the same transaction as the change.
 */
@Injectable()
export class AccessPolicyService {
  private readonly logger = new Logger(AccessPolicyService.name);

  constructor(private readonly dataSource: DataSource) {}

  async setPolicy(
    datasetPid: string,
    change: AccessPolicyChange,
    reason: string,
    viewer: Viewer,
  ): Promise<DatasetEntity> {
    return this.dataSource.transaction((manager) =>
      setAccessPolicy(manager, datasetPid, change, reason, viewer, this.logger),
    );
  }
}

/**
 * Apply a policy change inside an open transaction. Exported so that the
 * licences service's older access-level call shares this one write path.
 */
export async function setAccessPolicy(
  manager: EntityManager,
  datasetPid: string,
  change: AccessPolicyChange,
  reason: string,
  viewer: Viewer,
  logger?: Logger,
): Promise<DatasetEntity> {
  if (viewer.subject === null) {
    throw new AccessPolicyError(
      'UNAUTHENTICATED',
      'anonymous requests cannot change access policies: sign in with an account that has the steward role',
    );
  }
  if (!hasRole(viewer, 'steward')) {
    throw new AccessPolicyError(
      'FORBIDDEN',
      'only data stewards may change access policies: sign in with an account that has the steward role',
    );
  }
  const why = reason.trim();
  if (why === '') {
    throw new AccessPolicyError(
      'INVALID',
      'reason is empty: say why the access policy changes (it is kept in the dataset history)',
    );
  }

  const datasets = manager.getRepository(DatasetEntity);
  const dataset = await datasets.findOne({
    where: { pid: datasetPid },
    lock: { mode: 'pessimistic_write' },
  });
  if (dataset === null) {
    throw new AccessPolicyError(
      'NOT_FOUND',
      `dataset ${datasetPid} not found: check the identifier`,
    );
  }

  const now = new Date();
  const after = nextPolicy(dataset, change, now);
  const changes = policyChanges(dataset, after);
  if (Object.keys(changes).length === 0) {
    return dataset;
  }

  await datasets.update({ id: dataset.id }, { ...after, modifiedAt: now });
  // Lists filter by access level in SQL, so datasets derived from this one follow its level.
  const derived = await refreshDerivedAccessLevels(manager, dataset.pid);
  await manager.getRepository(DatasetChangeEntity).insert({
    datasetId: dataset.id,
    changeType: 'access',
    changedAt: now,
    changedBy: actorName(viewer),
    reason: why,
    changes: asJson(changes),
    activityPid: null,
  });
  logger?.log({
    msg: 'access policy changed',
    datasetPid,
    fields: Object.keys(changes),
    by: actorName(viewer),
    ...(derived.length === 0 ? {} : { derived }),
  });
  return datasets.findOneOrFail({ where: { id: dataset.id } });
}
