import type { HarvestedDataset, HarvestedDistribution, HarvestedProperty } from '../harvest.types';
import { decodeUneceUnitId, normalizeUnit, unitByUnece } from '../../units/units';
import { decodeAccessLevel } from './opcua-access-level';
import { formatUriQualifiedName } from './opcua-node-id';
import type { EngineeringUnitsModel, NodeGroupModel, VariableModel } from './opcua-node-model';

/** Namespace of EUInformation.unitId values that are UNECE Rec. 20 codes (Part 8, 5.6.3). */
export const UNECE_UNITS_NAMESPACE_URI = 'http://www.opcfoundation.org/UA/units/un/cefact';

/** Source settings applied to every mapped dataset. */
export interface NodeGroupMappingContext {
  /** How to get the group's data; the live harvester and the importer differ here. */
  distributions: (group: NodeGroupModel) => HarvestedDistribution[];
  /** Site place of the source, used as the dataset's place. */
  place?: string;
}

interface UnitFields {
  unit?: string;
  unitSourceText?: string;
  quantityKind?: string;
  unece?: string;
}

/** Map one node group to a catalog dataset of kind `opcua-node-group`. */
export function toNodeGroupDataset(
  group: NodeGroupModel,
  context: NodeGroupMappingContext,
): HarvestedDataset {
  const names = propertyNames(group.variables);
  const properties: HarvestedProperty[] = [];
  const variableDetails: Record<string, unknown> = {};

  group.variables.forEach((variable, index) => {
    const name = names[index] ?? variable.browseName.name;
    properties.push(toProperty(name, variable));
    variableDetails[name] = describeVariable(variable);
  });

  const dataset: HarvestedDataset = {
    key: group.nodeId,
    kind: 'opcua-node-group',
    title: group.displayName ?? group.browseName.name,
    keywords: keywordsOf(group),
    format: 'opcua',
    properties,
    distributions: context.distributions(group),
    details: {
      nodeId: group.nodeId,
      nodeClass: group.nodeClass,
      browseName: group.browseName,
      ...optional('browsePath', group.browsePath),
      ...optional('typeDefinition', group.typeDefinition),
      ...optional('typeDefinitionName', group.typeDefinitionName),
      ...optional('supertype', group.supertype),
      ...optional('modellingRule', group.modellingRule),
      ...(group.extraDetails ?? {}),
      variables: variableDetails,
    },
  };

  if (group.description !== undefined) {
    dataset.description = group.description;
  }
  if (context.place !== undefined) {
    dataset.place = context.place;
  }

  return dataset;
}

/** Map EUInformation to a UCUM code through its UNECE code, keeping the source text. */
export function mapEngineeringUnits(units: EngineeringUnitsModel | undefined): UnitFields {
  if (units === undefined) {
    return {};
  }

  const fields: UnitFields = {};
  const isUnece =
    units.namespaceUri === undefined || units.namespaceUri === UNECE_UNITS_NAMESPACE_URI;
  const unece = isUnece && units.unitId !== undefined ? decodeUneceUnitId(units.unitId) : undefined;
  const info =
    (unece !== undefined ? unitByUnece(unece) : undefined) ?? normalizeUnit(units.displayName);

  if (unece !== undefined) {
    fields.unece = unece;
  }
  if (info !== undefined) {
    fields.unit = info.ucum;
    if (info.quantityKind !== undefined) {
      fields.quantityKind = info.quantityKind;
    }
  }

  const sourceText = units.displayName ?? unece;
  if (sourceText !== undefined) {
    fields.unitSourceText = sourceText;
  }

  return fields;
}

function toProperty(name: string, variable: VariableModel): HarvestedProperty {
  const datatype = variable.dataTypeClassification?.datatype;
  const units = mapEngineeringUnits(variable.engineeringUnits);
  const property: HarvestedProperty = {
    name,
    datatypes: datatype === undefined ? [] : [datatype],
    observedCount: 0,
  };

  if (variable.displayName !== undefined) {
    property.label = variable.displayName;
  }
  if (variable.description !== undefined) {
    property.description = variable.description;
  }
  if (units.unit !== undefined) {
    property.unit = units.unit;
  }
  if (units.unitSourceText !== undefined) {
    property.unitSourceText = units.unitSourceText;
  }
  if (units.quantityKind !== undefined) {
    property.quantityKind = units.quantityKind;
  }
  if (variable.euRange !== undefined) {
    property.minimum = variable.euRange.low;
    property.maximum = variable.euRange.high;
  }
  if (variable.enumFields !== undefined && variable.enumFields.length > 0) {
    property.enumValues = variable.enumFields.slice(0, 20).map((field) => field.name);
  }

  return property;
}

function describeVariable(variable: VariableModel): Record<string, unknown> {
  const units = mapEngineeringUnits(variable.engineeringUnits);

  return {
    nodeId: variable.nodeId,
    browseName: variable.browseName,
    ...optional('referenceType', variable.referenceType),
    ...optional('typeDefinition', variable.typeDefinition),
    ...optional('dataType', variable.dataType),
    ...optional('builtInType', variable.dataTypeClassification?.builtInType),
    ...optional('dataTypeShape', variable.dataTypeClassification?.shape),
    ...optional('enumFields', variable.enumFields),
    ...optional('valueRank', variable.valueRank),
    ...optional('arrayDimensions', variable.arrayDimensions),
    ...optional('accessLevel', variable.accessLevel),
    ...optional(
      'accessLevelNames',
      variable.accessLevel === undefined ? undefined : decodeAccessLevel(variable.accessLevel),
    ),
    ...optional('userAccessLevel', variable.userAccessLevel),
    ...optional(
      'userAccessLevelNames',
      variable.userAccessLevel === undefined
        ? undefined
        : decodeAccessLevel(variable.userAccessLevel),
    ),
    ...optional('historizing', variable.historizing),
    ...optional('modellingRule', variable.modellingRule),
    ...optional('engineeringUnits', variable.engineeringUnits),
    ...optional('unece', units.unece),
    ...optional('euRange', variable.euRange),
    ...optional('instrumentRange', variable.instrumentRange),
    ...optional('declaredValue', variable.declaredValue),
  };
}

/**
 * Name each variable by its browse path (`Temperature`, `Motor.Speed`).
 * Two variables of one group may share a BrowseName name in different
 * namespaces; those are qualified with their namespace URI so property
 * names stay unique and stable.
 */
function propertyNames(variables: VariableModel[]): string[] {
  const plain = variables.map((variable) => variable.browsePath.join('.'));
  const counts = new Map<string, number>();
  for (const name of plain) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }

  return variables.map((variable, index) => {
    const name = plain[index] ?? variable.browseName.name;
    if ((counts.get(name) ?? 0) === 1) {
      return name;
    }
    const parents = variable.browsePath.slice(0, -1);
    return [...parents, formatUriQualifiedName(variable.browseName)].join('.');
  });
}

function keywordsOf(group: NodeGroupModel): string[] {
  const keywords = ['OPC UA', group.nodeClass, group.browseName.name];
  if (group.typeDefinitionName !== undefined) {
    keywords.push(group.typeDefinitionName);
  }
  return [...new Set(keywords)];
}

function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}
