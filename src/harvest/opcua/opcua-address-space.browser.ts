import {
  BrowseDirection,
  NodeClass,
  NodeClassMask,
  ReferenceTypeIds,
  makeResultMask,
} from 'node-opcua';
import type { BrowseResult, ClientSession, ReferenceDescription } from 'node-opcua';

import type { UriQualifiedName } from './opcua-node-id';
import type { OpcuaConnection } from './opcua-connection';
import {
  fromSessionNodeId,
  fromSessionQualifiedName,
  toSessionNodeId,
} from './opcua-session-node-id';

/**
 * Breadth-first browse of a server's address space, batched: one Browse
 * request carries many nodes, and continuation points are followed with
 * BrowseNext in the same step so a reconnect can repeat the step whole.
 * Only Objects and Variables are followed, over hierarchical references.
 */

/** Sizes of requests and the bound on nodes per run. */
export interface BrowseLimits {
  maxNodes: number;
  /** Nodes per Browse request (capped by the server's MaxNodesPerBrowse when it states one). */
  browseBatchSize: number;
  /** References per node per response before the server hands out a continuation point. */
  maxReferencesPerNode: number;
}

/** An Object or Variable found by the browse. */
export interface BrowsedNode {
  nodeId: string;
  nodeClass: 'Object' | 'Variable';
  browseName: UriQualifiedName;
  displayName?: string;
  typeDefinition?: string;
  /** Reference type (nsu form) from the parent that first reached this node. */
  referenceType?: string;
  parent?: string;
  browsePath: string[];
  /** Children in the order the server returned them. */
  children: string[];
}

/** The browsed tree and whether `maxNodes` cut it short. */
export interface BrowseOutcome {
  root: string;
  nodes: Map<string, BrowsedNode>;
  truncated: boolean;
}

/** Progress of a run, reported after each browse batch. */
export interface BrowseProgress {
  phase: 'browse';
  nodes: number;
  batches: number;
}

const RESULT_MASK = makeResultMask(
  'ReferenceType | IsForward | NodeClass | BrowseName | DisplayName | TypeDefinition',
);

/** Browse from `root`, skipping the subtrees in `skip`. */
export async function browseAddressSpace(
  connection: OpcuaConnection,
  root: BrowsedNode,
  skip: ReadonlySet<string>,
  limits: BrowseLimits,
  onProgress?: (progress: BrowseProgress) => void | Promise<void>,
): Promise<BrowseOutcome> {
  const nodes = new Map<string, BrowsedNode>([[root.nodeId, root]]);
  let queue = [root.nodeId];
  let truncated = false;
  let batches = 0;

  while (queue.length > 0 && !truncated) {
    const batch = queue.slice(0, limits.browseBatchSize);
    queue = queue.slice(batch.length);

    const references = await browseBatch(connection, batch, limits.maxReferencesPerNode);
    batches += 1;

    for (const [index, parentId] of batch.entries()) {
      const parent = nodes.get(parentId);
      if (parent === undefined) {
        continue;
      }
      for (const reference of references[index] ?? []) {
        const child = toBrowsedNode(reference, parent, connection.namespaceArray);
        if (child === undefined || nodes.has(child.nodeId) || skip.has(child.nodeId)) {
          continue;
        }
        if (nodes.size >= limits.maxNodes) {
          truncated = true;
          break;
        }
        nodes.set(child.nodeId, child);
        parent.children.push(child.nodeId);
        queue.push(child.nodeId);
      }
    }

    await onProgress?.({ phase: 'browse', nodes: nodes.size, batches });
  }

  return { root: root.nodeId, nodes, truncated };
}

/**
 * Browse one batch of nodes, following continuation points, and return
 * the references per node in batch order.
 */
async function browseBatch(
  connection: OpcuaConnection,
  batch: string[],
  maxReferencesPerNode: number,
): Promise<ReferenceDescription[][]> {
  return connection.run(
    `browse of ${batch.length} nodes from ${batch[0] ?? ''}`,
    async (session) => {
      session.requestedMaxReferencesPerNode = maxReferencesPerNode;

      const results = await session.browse(
        batch.map((nodeId) => ({
          nodeId: toSessionNodeId(nodeId, connection.namespaceArray),
          browseDirection: BrowseDirection.Forward,
          referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
          includeSubtypes: true,
          nodeClassMask: NodeClassMask.Object | NodeClassMask.Variable,
          resultMask: RESULT_MASK,
        })),
      );

      return followContinuationPoints(session, results);
    },
  );
}

/** Collect every reference of each result, calling BrowseNext while continuation points remain. */
async function followContinuationPoints(
  session: ClientSession,
  results: BrowseResult[],
): Promise<ReferenceDescription[][]> {
  const collected = results.map((result) => [...(result.references ?? [])]);
  let pending = results
    .map((result, index) => ({ index, point: result.continuationPoint }))
    .filter((entry): entry is { index: number; point: Buffer } => isContinuationPoint(entry.point));

  while (pending.length > 0) {
    const next = await session.browseNext(
      pending.map((entry) => entry.point),
      false,
    );

    const stillPending: typeof pending = [];
    next.forEach((result, position) => {
      const entry = pending[position];
      if (entry === undefined) {
        return;
      }
      collected[entry.index]?.push(...(result.references ?? []));
      if (isContinuationPoint(result.continuationPoint)) {
        stillPending.push({ index: entry.index, point: result.continuationPoint });
      }
    });
    pending = stillPending;
  }

  return collected;
}

function isContinuationPoint(point: Buffer | null | undefined): point is Buffer {
  return point !== undefined && point !== null && point.length > 0;
}

/** Map the NodeClasses the browse follows to their names; the node class mask requests only these two. */
function followedNodeClass(nodeClass: number): BrowsedNode['nodeClass'] | undefined {
  if (nodeClass === Number(NodeClass.Object)) {
    return 'Object';
  }
  if (nodeClass === Number(NodeClass.Variable)) {
    return 'Variable';
  }
  return undefined;
}

function toBrowsedNode(
  reference: ReferenceDescription,
  parent: BrowsedNode,
  namespaceArray: readonly string[],
): BrowsedNode | undefined {
  const nodeClass = followedNodeClass(Number(reference.nodeClass));
  const nodeId = fromSessionNodeId(reference.nodeId, namespaceArray);
  if (nodeClass === undefined || nodeId === undefined) {
    return undefined;
  }

  const browseName = fromSessionQualifiedName(reference.browseName, namespaceArray);
  const node: BrowsedNode = {
    nodeId,
    nodeClass,
    browseName,
    parent: parent.nodeId,
    browsePath: [...parent.browsePath, browseName.name],
    children: [],
  };

  const referenceType = fromSessionNodeId(reference.referenceTypeId, namespaceArray);
  const typeDefinition = fromSessionNodeId(reference.typeDefinition, namespaceArray);
  const displayName = reference.displayName.text ?? undefined;
  if (referenceType !== undefined) node.referenceType = referenceType;
  if (typeDefinition !== undefined && !reference.typeDefinition.isEmpty())
    node.typeDefinition = typeDefinition;
  if (displayName !== undefined && displayName !== '') node.displayName = displayName;

  return node;
}
