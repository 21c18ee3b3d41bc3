/**
 * NodeIds and QualifiedNames written with their namespace URI. A namespace
 * index is only valid for one server session or one NodeSet file (servers
 * renumber namespaces when their load order changes), so every key Weft
 * stores uses the `nsu=<namespace URI>;<type>=<value>` form of OPC UA Part 6.
 */

/** Namespace URI of the OPC UA base namespace, index 0 on every server. */
export const OPCUA_BASE_NAMESPACE_URI = 'http://opcfoundation.org/UA/';

/** NodeId identifier types as written in the string form: numeric, string, GUID, opaque. */
export type NodeIdIdentifierType = 'i' | 's' | 'g' | 'b';

/** A NodeId whose namespace is named by URI, not by index. */
export interface UriNodeId {
  namespaceUri: string;
  identifierType: NodeIdIdentifierType;
  /** The identifier as written after `i=`, `s=`, `g=` or `b=` (GUIDs upper-cased, opaque ids base64). */
  identifier: string;
}

/** A NodeId as written with a namespace index, before the index is resolved to a URI. */
export interface IndexedNodeId {
  namespaceIndex: number;
  identifierType: NodeIdIdentifierType;
  identifier: string;
}

/** A QualifiedName (a BrowseName) with its namespace URI. */
export interface UriQualifiedName {
  namespaceUri: string;
  name: string;
}

const INDEXED_NODE_ID = /^(?:ns=(\d+);)?([isgb])=([\s\S]+)$/;
const URI_NODE_ID = /^nsu=([^;]+);([isgb])=([\s\S]+)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Format a NodeId as `nsu=<namespace URI>;<type>=<value>`. */
export function formatUriNodeId(nodeId: UriNodeId): string {
  return `nsu=${nodeId.namespaceUri};${nodeId.identifierType}=${nodeId.identifier}`;
}

/**
 * Parse `ns=1;i=1012`, `i=68`, `ns=2;s=Line 1` or `ns=3;g=...` into its
 * parts. Returns undefined when the text is not a NodeId; the numeric and
 * GUID forms are validated so a typo cannot become a different node.
 */
export function parseIndexedNodeId(text: string): IndexedNodeId | undefined {
  const match = INDEXED_NODE_ID.exec(text.trim());
  if (match === null) {
    return undefined;
  }

  const namespaceIndex = match[1] === undefined ? 0 : Number(match[1]);
  const identifierType = match[2] as NodeIdIdentifierType;
  const identifier = normalizeIdentifier(identifierType, match[3] ?? '');
  if (identifier === undefined) {
    return undefined;
  }

  return { namespaceIndex, identifierType, identifier };
}

/** Parse a NodeId written as `nsu=<namespace URI>;<type>=<value>`. */
export function parseUriNodeId(text: string): UriNodeId | undefined {
  const match = URI_NODE_ID.exec(text.trim());
  if (match === null) {
    return undefined;
  }

  const identifierType = match[2] as NodeIdIdentifierType;
  const identifier = normalizeIdentifier(identifierType, match[3] ?? '');
  if (identifier === undefined) {
    return undefined;
  }

  return { namespaceUri: match[1] ?? '', identifierType, identifier };
}

/**
 * Resolve an indexed NodeId against a namespace table (a NodeSet file's
 * NamespaceUris or a server's NamespaceArray). Returns undefined when the
 * index is outside the table.
 */
export function resolveIndexedNodeId(
  nodeId: IndexedNodeId,
  namespaceUris: readonly string[],
): UriNodeId | undefined {
  const namespaceUri = namespaceUris[nodeId.namespaceIndex];
  if (namespaceUri === undefined) {
    return undefined;
  }

  return {
    namespaceUri,
    identifierType: nodeId.identifierType,
    identifier: nodeId.identifier,
  };
}

/**
 * Parse a BrowseName as written in a NodeSet (`1:Location`, `Location`).
 * A name without a prefix belongs to namespace 0. Returns the index and the
 * name; the caller maps the index through the file's namespace table.
 */
export function parseIndexedQualifiedName(text: string): { namespaceIndex: number; name: string } {
  const match = /^(\d+):([\s\S]*)$/.exec(text);
  if (match === null) {
    return { namespaceIndex: 0, name: text };
  }

  return { namespaceIndex: Number(match[1]), name: match[2] ?? '' };
}

/** Format a QualifiedName with its namespace URI, e.g. `http://opcfoundation.org/UA/DI/:Model`. */
export function formatUriQualifiedName(name: UriQualifiedName): string {
  return `${name.namespaceUri}:${name.name}`;
}

function normalizeIdentifier(type: NodeIdIdentifierType, raw: string): string | undefined {
  switch (type) {
    case 'i':
      return /^\d+$/.test(raw) && Number(raw) <= 0xffffffff ? String(Number(raw)) : undefined;
    case 'g':
      return GUID.test(raw) ? raw.toUpperCase() : undefined;
    case 's':
      return raw;
    case 'b':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(raw) ? raw : undefined;
  }
}
