import { NodeId, NodeIdType } from 'node-opcua';
import type { ExpandedNodeId, QualifiedName } from 'node-opcua';

import { formatUriNodeId, parseUriNodeId } from './opcua-node-id';
import type { NodeIdIdentifierType, UriQualifiedName } from './opcua-node-id';

/**
 * Conversion between Weft's `nsu=` NodeIds and node-opcua NodeIds of one
 * session. The namespace index is looked up in the NamespaceArray read on
 * that session and never stored.
 */

/** Raised when a NodeId names a namespace URI the server does not have. */
export class UnknownNamespaceError extends Error {
  override readonly name = 'UnknownNamespaceError';
}

/** Convert an `nsu=` NodeId to a node-opcua NodeId for the session with `namespaceArray`. */
export function toSessionNodeId(uriNodeId: string, namespaceArray: readonly string[]): NodeId {
  const parsed = parseUriNodeId(uriNodeId);
  if (parsed === undefined) {
    throw new Error(
      `"${uriNodeId}" is not a NodeId of the form nsu=<namespace URI>;<i|s|g|b>=<identifier>`,
    );
  }

  const index = namespaceArray.indexOf(parsed.namespaceUri);
  if (index < 0) {
    throw new UnknownNamespaceError(
      `namespace URI ${parsed.namespaceUri} of ${uriNodeId} is not in the server's NamespaceArray`,
    );
  }

  switch (parsed.identifierType) {
    case 'i':
      return new NodeId(NodeIdType.NUMERIC, Number(parsed.identifier), index);
    case 's':
      return new NodeId(NodeIdType.STRING, parsed.identifier, index);
    case 'g':
      return new NodeId(NodeIdType.GUID, parsed.identifier, index);
    case 'b':
      return new NodeId(NodeIdType.BYTESTRING, Buffer.from(parsed.identifier, 'base64'), index);
  }
}

/**
 * Convert a node-opcua NodeId or ExpandedNodeId to the `nsu=` form.
 * Returns undefined for a namespace index outside the NamespaceArray and for
 * references to other servers (a non-zero server index).
 */
export function fromSessionNodeId(
  nodeId: NodeId | ExpandedNodeId,
  namespaceArray: readonly string[],
): string | undefined {
  const expanded = nodeId as Partial<ExpandedNodeId>;
  if (typeof expanded.serverIndex === 'number' && expanded.serverIndex !== 0) {
    return undefined;
  }

  const namespaceUri =
    typeof expanded.namespaceUri === 'string' && expanded.namespaceUri !== ''
      ? expanded.namespaceUri
      : namespaceArray[nodeId.namespace];
  if (namespaceUri === undefined) {
    return undefined;
  }

  const identifier = identifierOf(nodeId);
  return formatUriNodeId({ namespaceUri, ...identifier });
}

/** Convert a BrowseName to its namespace URI and name. */
export function fromSessionQualifiedName(
  name: QualifiedName,
  namespaceArray: readonly string[],
): UriQualifiedName {
  return {
    namespaceUri:
      namespaceArray[name.namespaceIndex] ??
      `urn:weft:unknown-namespace-index:${name.namespaceIndex}`,
    name: name.name ?? '',
  };
}

function identifierOf(nodeId: NodeId): {
  identifierType: NodeIdIdentifierType;
  identifier: string;
} {
  switch (nodeId.identifierType) {
    case NodeIdType.NUMERIC:
      return { identifierType: 'i', identifier: String(nodeId.value) };
    case NodeIdType.STRING:
      return { identifierType: 's', identifier: nodeId.value as string };
    case NodeIdType.GUID:
      return { identifierType: 'g', identifier: (nodeId.value as string).toUpperCase() };
    case NodeIdType.BYTESTRING:
      return { identifierType: 'b', identifier: (nodeId.value as Buffer).toString('base64') };
  }
}
