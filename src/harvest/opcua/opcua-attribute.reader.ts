import {
  AttributeIds,
  BrowseDirection,
  NodeClassMask,
  ReferenceTypeIds,
  makeResultMask,
} from 'node-opcua';
import type { DataValue, ReadValueIdOptions } from 'node-opcua';

import { classifyDataType, isKnownBaseDataType } from './opcua-data-types';
import type { DataTypeClassification } from './opcua-data-types';
import { OPCUA_BASE_NAMESPACE_URI } from './opcua-node-id';
import type { EngineeringUnitsModel, EnumFieldModel, RangeModel } from './opcua-node-model';
import type { BrowsedNode, BrowseOutcome } from './opcua-address-space.browser';
import type { OpcuaConnection } from './opcua-connection';
import { fromSessionNodeId, toSessionNodeId } from './opcua-session-node-id';

/**
 * Batched reads of the attributes and metadata properties the catalog
 * needs, and resolution of DataTypes to XSD types through the server's
 * DataType hierarchy.
 */

/** Attributes read from one Variable, plus its EngineeringUnits and ranges. */
export interface VariableFacts {
  dataType?: string;
  valueRank?: number;
  arrayDimensions?: number[];
  accessLevel?: number;
  userAccessLevel?: number;
  historizing?: boolean;
  engineeringUnits?: EngineeringUnitsModel;
  euRange?: RangeModel;
  instrumentRange?: RangeModel;
}

/** Descriptions and variable attributes read, keyed by NodeId in `nsu=` form. */
export interface NodeFacts {
  descriptions: Map<string, string>;
  variables: Map<string, VariableFacts>;
}

/** A DataType resolved through its supertypes, with enumeration fields when it has them. */
export interface ResolvedDataType {
  classification: DataTypeClassification;
  enumFields?: EnumFieldModel[];
}

interface ReadOperation {
  nodeId: string;
  attributeId: number;
  apply: (value: unknown) => void;
}

/** HasProperty children of a Variable whose values describe that Variable. */
export const VARIABLE_METADATA_PROPERTIES = new Set([
  'EngineeringUnits',
  'EURange',
  'InstrumentRange',
]);

/** Longest DataType supertype chain followed on a server. */
const MAX_DATA_TYPE_DEPTH = 16;

/** Read descriptions, variable attributes and metadata property values in batches. */
export async function readNodeFacts(
  connection: OpcuaConnection,
  outcome: BrowseOutcome,
  readBatchSize: number,
): Promise<NodeFacts> {
  const facts: NodeFacts = { descriptions: new Map(), variables: new Map() };
  const operations: ReadOperation[] = [];

  for (const node of outcome.nodes.values()) {
    operations.push({
      nodeId: node.nodeId,
      attributeId: AttributeIds.Description,
      apply: (value) => {
        const text = localizedText(value);
        if (text !== undefined) facts.descriptions.set(node.nodeId, text);
      },
    });
    if (node.nodeClass === 'Variable') {
      operations.push(...variableOperations(node, facts, outcome));
    }
  }

  await runReads(connection, operations, readBatchSize);
  return facts;
}

function variableOperations(
  node: BrowsedNode,
  facts: NodeFacts,
  outcome: BrowseOutcome,
): ReadOperation[] {
  const variable: VariableFacts = {};
  facts.variables.set(node.nodeId, variable);

  const operations: ReadOperation[] = [
    attribute(node, AttributeIds.DataType, (value) => {
      if (isNodeIdLike(value)) variable.dataType = value;
    }),
    attribute(node, AttributeIds.ValueRank, (value) => {
      if (typeof value === 'number') variable.valueRank = value;
    }),
    attribute(node, AttributeIds.ArrayDimensions, (value) => {
      const dimensions = numberArray(value);
      if (dimensions !== undefined && dimensions.length > 0) variable.arrayDimensions = dimensions;
    }),
    attribute(node, AttributeIds.AccessLevel, (value) => {
      if (typeof value === 'number') variable.accessLevel = value;
    }),
    attribute(node, AttributeIds.UserAccessLevel, (value) => {
      if (typeof value === 'number') variable.userAccessLevel = value;
    }),
    attribute(node, AttributeIds.Historizing, (value) => {
      if (typeof value === 'boolean') variable.historizing = value;
    }),
  ];

  for (const childId of node.children) {
    const child = outcome.nodes.get(childId);
    if (child === undefined || !isMetadataProperty(child)) {
      continue;
    }
    operations.push(
      attribute(child, AttributeIds.Value, (value) =>
        assignMetadata(variable, child.browseName.name, value),
      ),
    );
  }

  return operations;
}

/** Check whether a Variable child is a namespace 0 metadata property (EngineeringUnits, EURange, InstrumentRange). */
export function isMetadataProperty(node: BrowsedNode): boolean {
  return (
    node.nodeClass === 'Variable' &&
    node.browseName.namespaceUri === OPCUA_BASE_NAMESPACE_URI &&
    VARIABLE_METADATA_PROPERTIES.has(node.browseName.name)
  );
}

function assignMetadata(variable: VariableFacts, name: string, value: unknown): void {
  switch (name) {
    case 'EngineeringUnits': {
      const units = euInformation(value);
      if (units !== undefined) variable.engineeringUnits = units;
      break;
    }
    case 'EURange': {
      const range = rangeOf(value);
      if (range !== undefined) variable.euRange = range;
      break;
    }
    case 'InstrumentRange': {
      const range = rangeOf(value);
      if (range !== undefined) variable.instrumentRange = range;
      break;
    }
    default:
      break;
  }
}

function attribute(
  node: BrowsedNode,
  attributeId: number,
  apply: (value: unknown) => void,
): ReadOperation {
  return { nodeId: node.nodeId, attributeId, apply };
}

/**
 * Run reads in batches of `batchSize`. NodeIds are converted per attempt,
 * so a retry after a reconnect uses the new session's namespace indexes.
 * A DataType attribute value is converted to `nsu=` form here for the same reason.
 */
async function runReads(
  connection: OpcuaConnection,
  operations: ReadOperation[],
  batchSize: number,
): Promise<void> {
  for (let start = 0; start < operations.length; start += batchSize) {
    const batch = operations.slice(start, start + batchSize);

    const values = await connection.run(`read of ${batch.length} attributes`, async (session) => {
      const namespaces = connection.namespaceArray;
      const request: ReadValueIdOptions[] = batch.map((operation) => ({
        nodeId: toSessionNodeId(operation.nodeId, namespaces),
        attributeId: operation.attributeId,
      }));
      const results: DataValue[] = await session.read(request);
      return results.map((result) => valueOf(result, namespaces));
    });

    batch.forEach((operation, index) => {
      const value = values[index];
      if (value !== undefined) {
        operation.apply(value);
      }
    });
  }
}

function valueOf(result: DataValue, namespaces: readonly string[]): unknown {
  if (!result.statusCode.isGood()) {
    return undefined;
  }

  const value: unknown = result.value.value;
  if (isSessionNodeId(value)) {
    return fromSessionNodeId(value, namespaces);
  }
  return value ?? undefined;
}

/**
 * Resolve DataTypes not in the base table by browsing their HasSubtype
 * chain (inverse direction) level by level, then read the definition of
 * enumerations for their field names.
 */
export async function resolveDataTypes(
  connection: OpcuaConnection,
  dataTypes: ReadonlySet<string>,
  batchSize: number,
): Promise<Map<string, ResolvedDataType>> {
  const supertypes = new Map<string, string>();
  let unresolved = [...dataTypes].filter((dataType) => !isKnownBaseDataType(dataType));

  for (let depth = 0; unresolved.length > 0 && depth < MAX_DATA_TYPE_DEPTH; depth += 1) {
    const parents = await browseSupertypes(connection, unresolved, batchSize);
    for (const [child, parent] of parents) {
      supertypes.set(child, parent);
    }
    unresolved = [...new Set(parents.values())].filter(
      (parent) => !isKnownBaseDataType(parent) && !supertypes.has(parent),
    );
  }

  const resolved = new Map<string, ResolvedDataType>();
  for (const dataType of dataTypes) {
    resolved.set(dataType, {
      classification: classifyDataType(dataType, (id) => supertypes.get(id)),
    });
  }

  await readEnumFields(connection, resolved, batchSize);
  return resolved;
}

async function browseSupertypes(
  connection: OpcuaConnection,
  dataTypes: string[],
  batchSize: number,
): Promise<Map<string, string>> {
  const parents = new Map<string, string>();

  for (let start = 0; start < dataTypes.length; start += batchSize) {
    const batch = dataTypes.slice(start, start + batchSize);
    const results = await connection.run(
      `browse supertypes of ${batch.length} DataTypes`,
      async (session) =>
        session.browse(
          batch.map((dataType) => ({
            nodeId: toSessionNodeId(dataType, connection.namespaceArray),
            browseDirection: BrowseDirection.Inverse,
            referenceTypeId: ReferenceTypeIds.HasSubtype,
            includeSubtypes: false,
            nodeClassMask: NodeClassMask.DataType,
            resultMask: makeResultMask('ReferenceType | NodeClass'),
          })),
        ),
    );

    results.forEach((result, index) => {
      const child = batch[index];
      const reference = result.references?.[0];
      const parent =
        reference === undefined
          ? undefined
          : fromSessionNodeId(reference.nodeId, connection.namespaceArray);
      if (child !== undefined && parent !== undefined) {
        parents.set(child, parent);
      }
    });
  }

  return parents;
}

async function readEnumFields(
  connection: OpcuaConnection,
  resolved: Map<string, ResolvedDataType>,
  batchSize: number,
): Promise<void> {
  const operations: ReadOperation[] = [];

  for (const [dataType, entry] of resolved) {
    if (entry.classification.shape !== 'enumeration' || isKnownBaseDataType(dataType)) {
      continue;
    }
    operations.push({
      nodeId: dataType,
      attributeId: AttributeIds.DataTypeDefinition,
      apply: (value) => {
        const fields = enumFields(value);
        if (fields !== undefined) entry.enumFields = fields;
      },
    });
  }

  await runReads(connection, operations, batchSize);
}

function enumFields(value: unknown): EnumFieldModel[] | undefined {
  const fields = (value as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(fields)) {
    return undefined;
  }

  return fields.flatMap((field: unknown, index): EnumFieldModel[] => {
    const { name, value: fieldValue } = (field ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string') {
      return [];
    }
    return [{ value: int64ToNumber(fieldValue) ?? index, name }];
  });
}

/** node-opcua returns Int64 as `[high, low]` 32-bit words. */
function int64ToNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((part) => typeof part === 'number')
  ) {
    const [high, low] = value as [number, number];
    return high * 0x1_0000_0000 + low;
  }
  return undefined;
}

function euInformation(value: unknown): EngineeringUnitsModel | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }

  const record = value as {
    namespaceUri?: unknown;
    unitId?: unknown;
    displayName?: unknown;
    description?: unknown;
  };
  const units: EngineeringUnitsModel = {};
  const displayName = localizedText(record.displayName);
  const description = localizedText(record.description);

  if (typeof record.namespaceUri === 'string' && record.namespaceUri !== '')
    units.namespaceUri = record.namespaceUri;
  if (typeof record.unitId === 'number') units.unitId = record.unitId;
  if (displayName !== undefined) units.displayName = displayName;
  if (description !== undefined) units.description = description;

  return units;
}

function rangeOf(value: unknown): RangeModel | undefined {
  const record = value as { low?: unknown; high?: unknown } | null | undefined;
  if (typeof record?.low !== 'number' || typeof record.high !== 'number') {
    return undefined;
  }
  return { low: record.low, high: record.high };
}

function localizedText(value: unknown): string | undefined {
  const text = (value as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function numberArray(value: unknown): number[] | undefined {
  if (
    value === null ||
    value === undefined ||
    typeof value !== 'object' ||
    !(Symbol.iterator in value)
  ) {
    return undefined;
  }
  const numbers = [...(value as Iterable<unknown>)];
  return numbers.every((entry): entry is number => typeof entry === 'number') ? numbers : undefined;
}

function isNodeIdLike(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('nsu=');
}

function isSessionNodeId(value: unknown): value is Parameters<typeof fromSessionNodeId>[0] {
  return (
    typeof value === 'object' &&
    value !== null &&
    'identifierType' in value &&
    'namespace' in value &&
    'value' in value
  );
}
