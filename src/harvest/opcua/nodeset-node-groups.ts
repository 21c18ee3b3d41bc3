import { NODESET_DEFAULT_ACCESS_LEVEL, modellingRuleName } from './opcua-access-level';
import { classifyDataType } from './opcua-data-types';
import { OPCUA_BASE_NAMESPACE_URI } from './opcua-node-id';
import type { EnumFieldModel, NodeGroupModel, VariableModel } from './opcua-node-model';
import { ReferenceTypeNumbers, baseNodeId, baseNumericId } from './nodeset-graph';
import type { GraphNode, NodeSetGraph } from './nodeset-graph';
import { decodeEuInformation, decodeRange, decodeScalarValue } from './nodeset-values';
import type { XmlLocalizedText } from './nodeset-xml.reader';

/** UANodeSet.xsd default ValueRank of a UAVariable: -1, a scalar. */
const NODESET_DEFAULT_VALUE_RANK = -1;

/** Names of the namespace 0 reference types a group's variables hang from, for details. */
const REFERENCE_TYPE_NAMES = new Map<number, string>([
  [ReferenceTypeNumbers.Organizes, 'Organizes'],
  [ReferenceTypeNumbers.HasProperty, 'HasProperty'],
  [ReferenceTypeNumbers.HasComponent, 'HasComponent'],
  [ReferenceTypeNumbers.HasOrderedComponent, 'HasOrderedComponent'],
]);

/**
 * Build one node group per Object and ObjectType of the imported files,
 * with the variables below it. Groups without variables carry no data
 * and are left out.
 */
export function collectNodeGroups(graph: NodeSetGraph): NodeGroupModel[] {
  const childTypes = childReferenceTypes(graph);
  const groups: NodeGroupModel[] = [];

  for (const node of graph.nodes.values()) {
    if (node.xml.nodeClass !== 'Object' && node.xml.nodeClass !== 'ObjectType') {
      continue;
    }

    const variables = collectVariables(graph, node.nodeId, [], childTypes, new Set([node.nodeId]));
    if (variables.length > 0) {
      groups.push(toGroup(graph, node, node.xml.nodeClass, variables));
    }
  }

  return groups;
}

function toGroup(
  graph: NodeSetGraph,
  node: GraphNode,
  nodeClass: 'Object' | 'ObjectType',
  variables: VariableModel[],
): NodeGroupModel {
  const group: NodeGroupModel = {
    nodeId: node.nodeId,
    nodeClass,
    browseName: node.browseName,
    variables,
  };
  const displayName = pickEnglish(node.xml.displayNames);
  const description = pickEnglish(node.xml.descriptions);
  const modellingRule = modellingRuleOf(graph, node.nodeId);

  if (displayName !== undefined) group.displayName = displayName;
  if (description !== undefined) group.description = description;
  if (modellingRule !== undefined) group.modellingRule = modellingRule;

  if (nodeClass === 'Object') {
    const typeDefinition = typeDefinitionOf(graph, node.nodeId);
    if (typeDefinition !== undefined) {
      group.typeDefinition = typeDefinition;
      const typeName = graph.nodes.get(typeDefinition)?.browseName.name;
      if (typeName !== undefined) group.typeDefinitionName = typeName;
    }
  } else {
    const supertype = graph.supertypeOf(node.nodeId);
    if (supertype !== undefined) group.supertype = supertype;
  }

  group.extraDetails = {
    sourceFile: node.file,
    ...(node.xml.categories.length > 0 ? { categories: node.xml.categories } : {}),
    ...(node.xml.documentation !== undefined ? { documentation: node.xml.documentation } : {}),
    ...(node.xml.isAbstract !== undefined ? { isAbstract: node.xml.isAbstract } : {}),
  };

  return group;
}

/**
 * Collect the variables below `parent`: its Variable children, and the
 * HasComponent children of those variables with a dotted browse path.
 * HasProperty children of a variable (EngineeringUnits, EURange) describe
 * that variable and are read into it, not listed as properties.
 */
function collectVariables(
  graph: NodeSetGraph,
  parent: string,
  path: string[],
  childTypes: readonly string[],
  visited: Set<string>,
): VariableModel[] {
  const variables: VariableModel[] = [];
  const componentTypes = [
    baseNodeId(ReferenceTypeNumbers.HasComponent),
    baseNodeId(ReferenceTypeNumbers.HasOrderedComponent),
  ];

  for (const edge of graph.targets(parent, childTypes)) {
    const child = graph.nodes.get(edge.target);
    if (child === undefined || child.xml.nodeClass !== 'Variable' || visited.has(child.nodeId)) {
      continue;
    }
    visited.add(child.nodeId);

    const browsePath = [...path, child.browseName.name];
    variables.push(toVariable(graph, child, browsePath, edge.referenceType));
    variables.push(...collectVariables(graph, child.nodeId, browsePath, componentTypes, visited));
  }

  return variables;
}

function toVariable(
  graph: NodeSetGraph,
  node: GraphNode,
  browsePath: string[],
  referenceType: string,
): VariableModel {
  const variable: VariableModel = {
    nodeId: node.nodeId,
    browseName: node.browseName,
    browsePath,
    accessLevel: node.xml.accessLevel ?? NODESET_DEFAULT_ACCESS_LEVEL,
    valueRank: node.xml.valueRank ?? NODESET_DEFAULT_VALUE_RANK,
  };

  assignTexts(variable, node);
  assignTypeFacts(graph, variable, node, referenceType);
  assignVariableProperties(graph, variable, node);

  if (node.xml.arrayDimensions !== undefined) variable.arrayDimensions = node.xml.arrayDimensions;
  if (node.xml.historizing !== undefined) variable.historizing = node.xml.historizing;
  if (node.xml.value !== undefined) {
    const declared = decodeScalarValue(node.xml.value, node.namespaceOf);
    if (declared !== undefined) variable.declaredValue = declared;
  }

  return variable;
}

function assignTexts(variable: VariableModel, node: GraphNode): void {
  const displayName = pickEnglish(node.xml.displayNames);
  const description = pickEnglish(node.xml.descriptions);
  if (displayName !== undefined) variable.displayName = displayName;
  if (description !== undefined) variable.description = description;
}

function assignTypeFacts(
  graph: NodeSetGraph,
  variable: VariableModel,
  node: GraphNode,
  referenceType: string,
): void {
  const referenceNumber = baseNumericId(referenceType);
  variable.referenceType =
    (referenceNumber === undefined ? undefined : REFERENCE_TYPE_NAMES.get(referenceNumber)) ??
    referenceType;

  const typeDefinition = typeDefinitionOf(graph, node.nodeId);
  const modellingRule = modellingRuleOf(graph, node.nodeId);
  if (typeDefinition !== undefined) variable.typeDefinition = typeDefinition;
  if (modellingRule !== undefined) variable.modellingRule = modellingRule;

  if (node.dataType === undefined) {
    return;
  }
  variable.dataType = node.dataType;
  variable.dataTypeClassification = classifyDataType(node.dataType, (id) => graph.supertypeOf(id));

  if (variable.dataTypeClassification.shape === 'enumeration') {
    const fields = enumFieldsOf(graph, node.dataType);
    if (fields.length > 0) variable.enumFields = fields;
  }
}

/** Read EngineeringUnits, EURange and InstrumentRange from the variable's properties. */
function assignVariableProperties(
  graph: NodeSetGraph,
  variable: VariableModel,
  node: GraphNode,
): void {
  for (const edge of graph.targets(node.nodeId, [baseNodeId(ReferenceTypeNumbers.HasProperty)])) {
    const property = graph.nodes.get(edge.target);
    if (property === undefined || property.browseName.namespaceUri !== OPCUA_BASE_NAMESPACE_URI) {
      continue;
    }

    switch (property.browseName.name) {
      case 'EngineeringUnits': {
        const units = decodeEuInformation(property.xml.value);
        if (units !== undefined) variable.engineeringUnits = units;
        break;
      }
      case 'EURange': {
        const range = decodeRange(property.xml.value);
        if (range !== undefined) variable.euRange = range;
        break;
      }
      case 'InstrumentRange': {
        const range = decodeRange(property.xml.value);
        if (range !== undefined) variable.instrumentRange = range;
        break;
      }
      default:
        break;
    }
  }
}

function enumFieldsOf(graph: NodeSetGraph, dataType: string): EnumFieldModel[] {
  const fields = graph.nodes.get(dataType)?.xml.definitionFields ?? [];
  return fields.map((field, index) => ({ value: field.value ?? index, name: field.name }));
}

function typeDefinitionOf(graph: NodeSetGraph, nodeId: string): string | undefined {
  return graph.targets(nodeId, [baseNodeId(ReferenceTypeNumbers.HasTypeDefinition)])[0]?.target;
}

function modellingRuleOf(graph: NodeSetGraph, nodeId: string): string | undefined {
  const target = graph.targets(nodeId, [baseNodeId(ReferenceTypeNumbers.HasModellingRule)])[0]
    ?.target;
  if (target === undefined) {
    return undefined;
  }

  const numericId = baseNumericId(target);
  return (numericId === undefined ? undefined : modellingRuleName(numericId)) ?? target;
}

/**
 * Return the reference types that link a group to its variables: Organizes,
 * HasProperty, HasComponent, HasOrderedComponent, and subtypes of these
 * that the imported files define.
 */
function childReferenceTypes(graph: NodeSetGraph): string[] {
  const base = [...REFERENCE_TYPE_NAMES.keys()].map(baseNodeId);
  const types = new Set(base);

  for (const node of graph.nodes.values()) {
    if (node.xml.nodeClass !== 'ReferenceType') {
      continue;
    }
    let supertype = graph.supertypeOf(node.nodeId);
    for (let depth = 0; supertype !== undefined && depth < 16; depth += 1) {
      if (types.has(supertype)) {
        types.add(node.nodeId);
        break;
      }
      supertype = graph.supertypeOf(supertype);
    }
  }

  return [...types];
}

/** Pick the English text of a LocalizedText list: `en`, then `en-*`, then one without locale, then the first. */
export function pickEnglish(texts: readonly XmlLocalizedText[]): string | undefined {
  const english =
    texts.find((text) => text.locale?.toLowerCase() === 'en') ??
    texts.find((text) => text.locale?.toLowerCase().startsWith('en-') === true) ??
    texts.find((text) => text.locale === undefined || text.locale === '') ??
    texts[0];
  return english?.text;
}
