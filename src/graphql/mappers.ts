import { isEmbargoed } from '../auth/dataset-access';
import type { DataServiceEntity } from '../catalog/entities/data-service.entity';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import type { DistributionEntity } from '../catalog/entities/distribution.entity';
import type { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import type { SourceSystemEntity } from '../catalog/entities/source-system.entity';
import type { LicenceEntity } from '../licences/licence.entity';
import { policyInWords } from '../licences/licence-combination';
import { dutyInWords, licencePolicyIri } from '../licences/odrl-policy';
import type { LicenceDuty as OdrlDuty, LicencePolicy as OdrlPolicy } from '../licences/odrl-policy';
import type { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import type { HarvestRunEntity } from '../provenance/harvest-run.entity';
import type {
  DataService,
  Dataset,
  DatasetChange,
  Distribution,
  HarvestRun,
  Licence,
  ObservableProperty,
  Source,
} from './types/catalog.types';
import type { AccessLevelEnum } from './types/catalog.types';
import type { LicenceDuty, LicencePolicy } from './types/licence-policy.types';

/** Maps database entities to GraphQL types, so the API can evolve apart from the schema. */
export function toDataset(entity: DatasetEntity, landingPage: string): Dataset {
  return {
    id: entity.pid,
    landingPage,
    title: entity.title,
    description: entity.description,
    keywords: entity.keywords,
    kind: entity.kind,
    naturalKey: entity.naturalKey,
    place: entity.place,
    format: entity.format,
    device: entity.device,
    temporalCoverage: { start: entity.temporalStart, end: entity.temporalEnd },
    units: entity.units,
    quantityKinds: entity.quantityKinds,
    rightsHolder: entity.rightsHolder,
    accessLevel: entity.accessLevel as AccessLevelEnum,
    accessRoles: entity.accessRoles,
    embargoUntil: entity.embargoUntil,
    dataEmbargoed: isEmbargoed(entity),
    status: entity.status,
    withdrawnAt: entity.withdrawnAt,
    withdrawnReason: entity.withdrawnReason,
    issued: entity.firstHarvestedAt,
    modified: entity.modifiedAt,
    lastHarvestedAt: entity.lastHarvestedAt,
    details: entity.details,
    internalId: entity.id,
    sourceId: entity.sourceId,
    licenceId: entity.licenceId,
    entity,
  };
}

export function toDistribution(entity: DistributionEntity): Distribution {
  return {
    id: entity.pid,
    title: entity.title,
    accessUrl: entity.accessUrl,
    mediaType: entity.mediaType,
    format: entity.format,
    accessQuery: entity.accessQuery,
    description: entity.description,
    status: entity.status,
    datasetId: entity.datasetId,
  };
}

export function toProperty(entity: ObservablePropertyEntity): ObservableProperty {
  return {
    name: entity.name,
    label: entity.label,
    description: entity.description,
    datatypes: entity.datatypes,
    unit: entity.unit,
    unitSourceText: entity.unitSourceText,
    quantityKind: entity.quantityKind,
    minimum: entity.minimum,
    maximum: entity.maximum,
    observedCount: entity.observedCount,
    anomalies: entity.anomalies,
    enumValues: entity.enumValues,
  };
}

export function toSource(entity: SourceSystemEntity): Source {
  return {
    id: entity.pid,
    key: entity.sourceKey,
    kind: entity.kind,
    title: entity.title,
    description: entity.description,
    place: entity.place,
    endpointUrl: entity.endpointUrl,
    status: entity.status,
    lastHarvestAt: entity.lastHarvestAt,
    lastHarvestStatus: entity.lastHarvestStatus,
    lastError: entity.lastError,
    details: entity.details,
    internalId: entity.id,
  };
}

export function toDataService(entity: DataServiceEntity): DataService {
  return {
    id: entity.pid,
    title: entity.title,
    endpointUrl: entity.endpointUrl,
    conformsTo: entity.conformsTo,
  };
}

export function toHarvestRun(entity: HarvestRunEntity): HarvestRun {
  return {
    id: entity.pid,
    status: entity.status,
    trigger: entity.trigger,
    requestedBy: entity.requestedBy,
    harvester: entity.harvester,
    startedAt: entity.startedAt,
    endedAt: entity.endedAt,
    datasetsCreated: entity.datasetsCreated,
    datasetsUpdated: entity.datasetsUpdated,
    datasetsUnchanged: entity.datasetsUnchanged,
    datasetsWithdrawn: entity.datasetsWithdrawn,
    issues: entity.issues,
    error: entity.error,
    attempt: entity.attempt,
    prov: entity.prov,
    sourceId: entity.sourceId,
  };
}

export function toLicence(entity: LicenceEntity): Licence {
  return {
    id: entity.id,
    name: entity.name,
    url: entity.url,
    text: entity.text,
    isCustom: entity.isCustom,
    policy: entity.policy === null ? null : toLicencePolicy(entity.id, entity.policy),
  };
}

export function toLicencePolicy(licenceId: string, policy: OdrlPolicy): LicencePolicy {
  return {
    uid: licencePolicyIri(licenceId),
    permissions: policy.permissions,
    duties: policy.duties.map(toLicenceDuty),
    prohibitions: policy.prohibitions,
    summary: policyInWords(policy),
  };
}

export function toLicenceDuty(duty: OdrlDuty): LicenceDuty {
  return { action: duty.action, licence: duty.licence ?? null, description: dutyInWords(duty) };
}

export function toChange(entity: DatasetChangeEntity): DatasetChange {
  return {
    changeType: entity.changeType,
    changedAt: entity.changedAt,
    changedBy: entity.changedBy,
    reason: entity.reason,
    changes: entity.changes,
    activityId: entity.activityPid,
  };
}
