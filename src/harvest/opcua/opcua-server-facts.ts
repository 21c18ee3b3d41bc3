import { AttributeIds, NodeClass } from 'node-opcua';
import type { DataValue } from 'node-opcua';

import type { BrowsedNode } from './opcua-address-space.browser';
import type { OpcuaConnection } from './opcua-connection';
import { fromSessionQualifiedName, toSessionNodeId } from './opcua-session-node-id';

/** Facts the server reports about itself, recorded in the snapshot's sourceDetails. */
export interface ServerFacts {
  namespaceArray: string[];
  buildInfo: Record<string, string>;
  /** Server operation limits (Part 5, ServerCapabilities OperationLimits); 0 or undefined means none. */
  maxNodesPerRead?: number;
  maxNodesPerBrowse?: number;
}

/** Numeric NodeIds of namespace 0 read for the server facts. */
const BUILD_INFO = 'i=2260';
const MAX_NODES_PER_READ = 'i=11705';
const MAX_NODES_PER_BROWSE = 'i=11710';

/** Read the NamespaceArray, BuildInfo and operation limits in one request. */
export async function readServerFacts(connection: OpcuaConnection): Promise<ServerFacts> {
  const [buildInfo, maxRead, maxBrowse] = await connection.run(
    'read server facts',
    async (session) =>
      session.read(
        [BUILD_INFO, MAX_NODES_PER_READ, MAX_NODES_PER_BROWSE].map((nodeId) => ({
          nodeId,
          attributeId: AttributeIds.Value,
        })),
      ),
  );

  const facts: ServerFacts = {
    namespaceArray: [...connection.namespaceArray],
    buildInfo: buildInfoOf(buildInfo),
  };
  const maxNodesPerRead = numberOf(maxRead);
  const maxNodesPerBrowse = numberOf(maxBrowse);
  if (maxNodesPerRead !== undefined) facts.maxNodesPerRead = maxNodesPerRead;
  if (maxNodesPerBrowse !== undefined) facts.maxNodesPerBrowse = maxNodesPerBrowse;

  return facts;
}

/**
 * Read the browse root's NodeClass, BrowseName and DisplayName. Throws
 * when the server does not know the node or it is neither Object nor
 * Variable, naming the NodeId so the configuration can be fixed.
 */
export async function readRootNode(
  connection: OpcuaConnection,
  root: string,
): Promise<BrowsedNode> {
  const [nodeClass, browseName, displayName] = await connection.run(
    'read browse root',
    async (session) =>
      session.read(
        [AttributeIds.NodeClass, AttributeIds.BrowseName, AttributeIds.DisplayName].map(
          (attributeId) => ({
            nodeId: toSessionNodeId(root, connection.namespaceArray),
            attributeId,
          }),
        ),
      ),
  );

  if (nodeClass === undefined || !nodeClass.statusCode.isGood()) {
    throw new Error(
      `browse root ${root} cannot be read (${nodeClass?.statusCode.name ?? 'no result'}); set browseRoot to a NodeId the server has`,
    );
  }

  const classValue: unknown = nodeClass.value.value;
  if (classValue !== NodeClass.Object && classValue !== NodeClass.Variable) {
    throw new Error(
      `browse root ${root} is neither an Object nor a Variable; set browseRoot to an Object such as a folder`,
    );
  }

  const node: BrowsedNode = {
    nodeId: root,
    nodeClass: classValue === NodeClass.Object ? 'Object' : 'Variable',
    browseName: fromSessionQualifiedName(
      browseName?.value.value as Parameters<typeof fromSessionQualifiedName>[0],
      connection.namespaceArray,
    ),
    browsePath: [],
    children: [],
  };
  const text = (displayName?.value.value as { text?: unknown } | null | undefined)?.text;
  if (typeof text === 'string' && text !== '') {
    node.displayName = text;
  }

  return node;
}

function buildInfoOf(dataValue: DataValue | undefined): Record<string, string> {
  const value =
    dataValue?.statusCode.isGood() === true ? (dataValue.value.value as unknown) : undefined;
  if (typeof value !== 'object' || value === null) {
    return {};
  }

  const record = value as Record<string, unknown>;
  const info: Record<string, string> = {};
  for (const key of [
    'productUri',
    'manufacturerName',
    'productName',
    'softwareVersion',
    'buildNumber',
  ]) {
    const field = record[key];
    if (typeof field === 'string' && field !== '') {
      info[key] = field;
    }
  }
  return info;
}

function numberOf(dataValue: DataValue | undefined): number | undefined {
  const value: unknown =
    dataValue?.statusCode.isGood() === true ? dataValue.value.value : undefined;
  return typeof value === 'number' ? value : undefined;
}
