import type { HarvestIssue } from '../harvest.types';
import {
  OPCUA_BASE_NAMESPACE_URI,
  formatUriNodeId,
  parseIndexedNodeId,
  parseIndexedQualifiedName,
  resolveIndexedNodeId,
} from './opcua-node-id';
import type { UriQualifiedName } from './opcua-node-id';
import type { XmlNode, XmlNodeSet } from './nodeset-xml.reader';

/**
 * The nodes of one or more NodeSet2 files with every NodeId resolved to
 * its `nsu=` form, and their references stored once in forward direction.
 * NodeSet files write a reference on either end or on both, so edges are
 * de-duplicated.
 */

/** A node of an imported file with its identifiers resolved. */
export interface GraphNode {
  nodeId: string;
  browseName: UriQualifiedName;
  xml: XmlNode;
  file: string;
  /** The DataType attribute resolved to `nsu=` form. */
  dataType?: string;
  /** The ParentNodeId attribute resolved to `nsu=` form. */
  parentNodeId?: string;
  /** Maps a namespace index of the node's own file to its URI. */
  namespaceOf: (namespaceIndex: number) => string | undefined;
}

/** A reference in forward direction. */
export interface GraphEdge {
  source: string;
  referenceType: string;
  target: string;
  /** The file that wrote the reference, for issues. */
  file: string;
}

/** A NodeSet file read and resolved, with what its header declares. */
export interface NodeSetFile {
  path: string;
  xml: XmlNodeSet;
}

/** Namespace 0 reference types by numeric identifier (OPC UA Part 3, standard ReferenceTypes). */
export const ReferenceTypeNumbers = {
  Organizes: 35,
  HasModellingRule: 37,
  HasTypeDefinition: 40,
  HasSubtype: 45,
  HasProperty: 46,
  HasComponent: 47,
  HasOrderedComponent: 49,
} as const;

/** `nsu=` form of a namespace 0 numeric NodeId. */
export function baseNodeId(numericId: number): string {
  return formatUriNodeId({
    namespaceUri: OPCUA_BASE_NAMESPACE_URI,
    identifierType: 'i',
    identifier: String(numericId),
  });
}

/** Return the numeric identifier of a namespace 0 NodeId, or undefined for other NodeIds. */
export function baseNumericId(nodeId: string): number | undefined {
  const prefix = `nsu=${OPCUA_BASE_NAMESPACE_URI};i=`;
  return nodeId.startsWith(prefix) ? Number(nodeId.slice(prefix.length)) : undefined;
}

/** Resolved nodes and edges of all imported files. */
export class NodeSetGraph {
  readonly nodes = new Map<string, GraphNode>();
  private readonly forward = new Map<string, GraphEdge[]>();
  private readonly inverse = new Map<string, GraphEdge[]>();
  private readonly edgeKeys = new Set<string>();

  /** Add a node; returns false when another file already defined the NodeId. */
  addNode(node: GraphNode): boolean {
    if (this.nodes.has(node.nodeId)) {
      return false;
    }
    this.nodes.set(node.nodeId, node);
    return true;
  }

  addEdge(edge: GraphEdge): void {
    const key = `${edge.source}\n${edge.referenceType}\n${edge.target}`;
    if (this.edgeKeys.has(key)) {
      return;
    }
    this.edgeKeys.add(key);
    push(this.forward, edge.source, edge);
    push(this.inverse, edge.target, edge);
  }

  /** Return all edges in the order they were added. */
  edges(): GraphEdge[] {
    return [...this.forward.values()].flat();
  }

  /** Forward edges of `source` whose type is one of `referenceTypes`. */
  targets(source: string, referenceTypes: readonly string[]): GraphEdge[] {
    return (this.forward.get(source) ?? []).filter((edge) =>
      referenceTypes.includes(edge.referenceType),
    );
  }

  /** Inverse edges of `target` whose type is one of `referenceTypes`. */
  sources(target: string, referenceTypes: readonly string[]): GraphEdge[] {
    return (this.inverse.get(target) ?? []).filter((edge) =>
      referenceTypes.includes(edge.referenceType),
    );
  }

  /** Return the supertype of a type node, the source of its inverse HasSubtype reference. */
  supertypeOf(typeNodeId: string): string | undefined {
    return this.sources(typeNodeId, [baseNodeId(ReferenceTypeNumbers.HasSubtype)])[0]?.source;
  }
}

/**
 * Resolve the files into one graph. Problems with single nodes or
 * references become issues; the rest of the file is still imported.
 */
export function buildNodeSetGraph(files: NodeSetFile[], issues: HarvestIssue[]): NodeSetGraph {
  const graph = new NodeSetGraph();

  for (const file of files) {
    addFileNodes(graph, file, issues);
  }
  for (const file of files) {
    addFileEdges(graph, file, issues);
  }

  return graph;
}

/** Resolves the NodeIds a file writes (with aliases and file-local indexes) to `nsu=` form. */
class FileResolver {
  private readonly namespaceTable: string[];

  constructor(private readonly file: NodeSetFile) {
    // Index 0 of a NodeSet file is always the OPC UA base namespace; the
    // file's NamespaceUris element lists indexes 1, 2, ...
    this.namespaceTable = [OPCUA_BASE_NAMESPACE_URI, ...file.xml.namespaceUris];
  }

  namespaceOf = (namespaceIndex: number): string | undefined => this.namespaceTable[namespaceIndex];

  /** Resolve a NodeId or alias; undefined when it is malformed or uses an unknown index. */
  nodeId(text: string): string | undefined {
    const expanded = this.file.xml.aliases.get(text.trim()) ?? text;
    const indexed = parseIndexedNodeId(expanded);
    const resolved =
      indexed === undefined ? undefined : resolveIndexedNodeId(indexed, this.namespaceTable);
    return resolved === undefined ? undefined : formatUriNodeId(resolved);
  }

  browseName(text: string): UriQualifiedName | undefined {
    const { namespaceIndex, name } = parseIndexedQualifiedName(text);
    const namespaceUri = this.namespaceOf(namespaceIndex);
    return namespaceUri === undefined ? undefined : { namespaceUri, name };
  }
}

function addFileNodes(graph: NodeSetGraph, file: NodeSetFile, issues: HarvestIssue[]): void {
  const resolver = new FileResolver(file);

  for (const xml of file.xml.nodes) {
    const nodeId = resolver.nodeId(xml.nodeId);
    const browseName = resolver.browseName(xml.browseName);
    if (nodeId === undefined || browseName === undefined) {
      issues.push({
        severity: 'error',
        subject: `${file.path}#${xml.nodeId}`,
        message:
          `UA${xml.nodeClass} NodeId "${xml.nodeId}" or BrowseName "${xml.browseName}" uses a ` +
          `namespace index outside the file's NamespaceUris (${file.xml.namespaceUris.length} entries) ` +
          'or is malformed; the node was skipped. Add the namespace URI to NamespaceUris or fix the NodeId.',
      });
      continue;
    }

    const node: GraphNode = {
      nodeId,
      browseName,
      xml,
      file: file.path,
      namespaceOf: resolver.namespaceOf,
    };
    const dataType = xml.dataType === undefined ? undefined : resolver.nodeId(xml.dataType);
    if (dataType !== undefined) {
      node.dataType = dataType;
    } else if (xml.dataType !== undefined) {
      issues.push(unresolvedIssue(file.path, nodeId, 'DataType', xml.dataType));
    }

    const parentNodeId =
      xml.parentNodeId === undefined ? undefined : resolver.nodeId(xml.parentNodeId);
    if (parentNodeId !== undefined) {
      node.parentNodeId = parentNodeId;
    } else if (xml.parentNodeId !== undefined) {
      issues.push(unresolvedIssue(file.path, nodeId, 'ParentNodeId', xml.parentNodeId));
    }

    if (!graph.addNode(node)) {
      issues.push({
        severity: 'warning',
        subject: nodeId,
        message: `${file.path} defines ${nodeId} again; the first definition was kept`,
      });
    }
  }
}

function addFileEdges(graph: NodeSetGraph, file: NodeSetFile, issues: HarvestIssue[]): void {
  const resolver = new FileResolver(file);

  for (const xml of file.xml.nodes) {
    const nodeId = resolver.nodeId(xml.nodeId);
    if (nodeId === undefined) {
      continue;
    }

    for (const reference of xml.references) {
      const referenceType = resolver.nodeId(reference.referenceType);
      const other = resolver.nodeId(reference.target);
      if (referenceType === undefined || other === undefined) {
        const bad = referenceType === undefined ? reference.referenceType : reference.target;
        issues.push(unresolvedIssue(file.path, nodeId, 'Reference', bad));
        continue;
      }

      const source = reference.isForward ? nodeId : other;
      const target = reference.isForward ? other : nodeId;
      graph.addEdge({ source, referenceType, target, file: file.path });
    }
  }
}

function unresolvedIssue(file: string, nodeId: string, what: string, text: string): HarvestIssue {
  return {
    severity: 'warning',
    subject: nodeId,
    message:
      `${file}: ${what} "${text}" of ${nodeId} is neither an alias nor a NodeId with a known ` +
      'namespace index, so it was ignored; declare the alias or the namespace URI in the file',
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}
