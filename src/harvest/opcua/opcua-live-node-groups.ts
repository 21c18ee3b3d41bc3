import type { NodeGroupModel, VariableModel } from './opcua-node-model';
import type { BrowsedNode, BrowseOutcome } from './opcua-address-space.browser';
import { isMetadataProperty } from './opcua-attribute.reader';
import type { NodeFacts, ResolvedDataType } from './opcua-attribute.reader';
import { baseNodeId, baseNumericId } from './nodeset-graph';

/** Namespace 0 reference type HasProperty, whose Variable children describe their parent Variable. */
const HAS_PROPERTY = baseNodeId(46);

/** Names of the hierarchical reference types that usually link a group to its variables. */
const REFERENCE_TYPE_NAMES = new Map<number, string>([
  [35, 'Organizes'],
  [46, 'HasProperty'],
  [47, 'HasComponent'],
  [49, 'HasOrderedComponent'],
]);

/**
 * Build node groups from a live browse, the same shape the NodeSet
 * importer builds: one group per Object with the Variables below it.
 */
export function buildLiveNodeGroups(
  outcome: BrowseOutcome,
  facts: NodeFacts,
  dataTypes: ReadonlyMap<string, ResolvedDataType>,
): NodeGroupModel[] {
  const groups: NodeGroupModel[] = [];

  for (const node of outcome.nodes.values()) {
    if (node.nodeClass !== 'Object') {
      continue;
    }

    const variables = collectVariables(node, [], outcome, facts, dataTypes);
    if (variables.length > 0) {
      groups.push(toGroup(node, variables, outcome, facts));
    }
  }

  return groups;
}

function toGroup(
  node: BrowsedNode,
  variables: VariableModel[],
  outcome: BrowseOutcome,
  facts: NodeFacts,
): NodeGroupModel {
  const group: NodeGroupModel = {
    nodeId: node.nodeId,
    nodeClass: 'Object',
    browseName: node.browseName,
    browsePath: node.browsePath,
    variables,
  };
  const description = facts.descriptions.get(node.nodeId);

  if (node.displayName !== undefined) group.displayName = node.displayName;
  if (description !== undefined) group.description = description;
  if (node.typeDefinition !== undefined) group.typeDefinition = node.typeDefinition;
  if (node.parent !== undefined) {
    group.extraDetails = {
      parent: node.parent,
      parentBrowsePath: outcome.nodes.get(node.parent)?.browsePath,
    };
  }

  return group;
}

/**
 * Collect the Variable children of `parent`, then the non-property
 * Variable children of each of those under a dotted path. HasProperty
 * children of a Variable are its metadata and were read into its facts.
 */
function collectVariables(
  parent: BrowsedNode,
  path: string[],
  outcome: BrowseOutcome,
  facts: NodeFacts,
  dataTypes: ReadonlyMap<string, ResolvedDataType>,
): VariableModel[] {
  const variables: VariableModel[] = [];

  for (const childId of parent.children) {
    const child = outcome.nodes.get(childId);
    if (child === undefined || child.nodeClass !== 'Variable') {
      continue;
    }
    if (
      parent.nodeClass === 'Variable' &&
      (child.referenceType === HAS_PROPERTY || isMetadataProperty(child))
    ) {
      continue;
    }

    const browsePath = [...path, child.browseName.name];
    variables.push(toVariable(child, browsePath, facts, dataTypes));
    variables.push(...collectVariables(child, browsePath, outcome, facts, dataTypes));
  }

  return variables;
}

function toVariable(
  node: BrowsedNode,
  browsePath: string[],
  facts: NodeFacts,
  dataTypes: ReadonlyMap<string, ResolvedDataType>,
): VariableModel {
  const variable: VariableModel = { nodeId: node.nodeId, browseName: node.browseName, browsePath };
  const read = facts.variables.get(node.nodeId) ?? {};
  const description = facts.descriptions.get(node.nodeId);
  const referenceNumber =
    node.referenceType === undefined ? undefined : baseNumericId(node.referenceType);

  if (node.displayName !== undefined) variable.displayName = node.displayName;
  if (description !== undefined) variable.description = description;
  if (node.typeDefinition !== undefined) variable.typeDefinition = node.typeDefinition;
  if (node.referenceType !== undefined) {
    variable.referenceType =
      (referenceNumber === undefined ? undefined : REFERENCE_TYPE_NAMES.get(referenceNumber)) ??
      node.referenceType;
  }

  if (read.dataType !== undefined) {
    variable.dataType = read.dataType;
    const resolved = dataTypes.get(read.dataType);
    if (resolved !== undefined) {
      variable.dataTypeClassification = resolved.classification;
      if (resolved.enumFields !== undefined) variable.enumFields = resolved.enumFields;
    }
  }
  if (read.valueRank !== undefined) variable.valueRank = read.valueRank;
  if (read.arrayDimensions !== undefined) variable.arrayDimensions = read.arrayDimensions;
  if (read.accessLevel !== undefined) variable.accessLevel = read.accessLevel;
  if (read.userAccessLevel !== undefined) variable.userAccessLevel = read.userAccessLevel;
  if (read.historizing !== undefined) variable.historizing = read.historizing;
  if (read.engineeringUnits !== undefined) variable.engineeringUnits = read.engineeringUnits;
  if (read.euRange !== undefined) variable.euRange = read.euRange;
  if (read.instrumentRange !== undefined) variable.instrumentRange = read.instrumentRange;

  return variable;
}
