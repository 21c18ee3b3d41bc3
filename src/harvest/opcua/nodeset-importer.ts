import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { HarvestedDistribution, HarvestIssue, HarvestSnapshot } from '../harvest.types';
import { OPCUA_BASE_NAMESPACE_URI, parseUriNodeId } from './opcua-node-id';
import type { NodeGroupModel } from './opcua-node-model';
import { toNodeGroupDataset } from './opcua-node-group.mapper';
import { NODESET_IMPORTER_NAME, errorMessage } from './opcua-logger';
import type { OpcuaLogger } from './opcua-logger';
import { baseNumericId, buildNodeSetGraph } from './nodeset-graph';
import type { GraphEdge, NodeSetFile, NodeSetGraph } from './nodeset-graph';
import { collectNodeGroups } from './nodeset-node-groups';
import { readNodeSetXml } from './nodeset-xml.reader';
import type { XmlModel } from './nodeset-xml.reader';

/** Files to import and the source they belong to. */
export interface NodeSetImportRequest {
  sourceId: string;
  /** NodeSet2 XML files; references between them resolve as if one address space. */
  files: string[];
  place?: string;
  signal?: AbortSignal;
  logger?: OpcuaLogger;
}

/** Names of the namespace 0 reference types that appear in issues. */
const REFERENCE_TYPE_NAMES = new Map<number, string>([
  [35, 'Organizes'],
  [37, 'HasModellingRule'],
  [40, 'HasTypeDefinition'],
  [41, 'GeneratesEvent'],
  [45, 'HasSubtype'],
  [46, 'HasProperty'],
  [47, 'HasComponent'],
  [49, 'HasOrderedComponent'],
  [17603, 'HasInterface'],
  [17604, 'HasAddIn'],
]);

/**
 * Import NodeSet2 files offline into a snapshot of node groups. Never
 * throws for bad input: unreadable or malformed files and dangling
 * references become issues, and the snapshot is marked incomplete when a
 * file or node could not be imported.
 */
export async function importNodeSets(request: NodeSetImportRequest): Promise<HarvestSnapshot> {
  const startedAt = new Date().toISOString();
  const issues: HarvestIssue[] = [];
  const files: NodeSetFile[] = [];

  for (const path of request.files) {
    if (request.signal?.aborted === true) {
      issues.push({
        severity: 'error',
        subject: path,
        message: 'import aborted before this file was read',
      });
      continue;
    }
    const file = await loadFile(path, issues, request.logger);
    if (file !== undefined) {
      files.push(file);
    }
  }

  const graph = buildNodeSetGraph(files, issues);
  const importedModels = new Set(files.flatMap(modelUrisOf));
  reportMissingRequiredModels(files, importedModels, issues);
  reportDanglingReferences(graph, files, importedModels, issues);

  const groups = collectNodeGroups(graph);
  const datasets = groups.map((group) =>
    toNodeGroupDataset(group, {
      distributions: nodeSetDistributions,
      ...(request.place === undefined ? {} : { place: request.place }),
    }),
  );

  request.logger?.log(
    `NodeSet import of source ${request.sourceId}: ${files.length}/${request.files.length} files, ` +
      `${graph.nodes.size} nodes, ${datasets.length} node groups, ${issues.length} issues`,
  );

  return {
    sourceId: request.sourceId,
    sourceKind: 'opcua-nodeset',
    harvester: NODESET_IMPORTER_NAME,
    startedAt,
    endedAt: new Date().toISOString(),
    sourceDetails: describeSource(files, importedModels, graph),
    datasets,
    issues,
    complete: !issues.some((issue) => issue.severity === 'error'),
  };
}

async function loadFile(
  path: string,
  issues: HarvestIssue[],
  logger: OpcuaLogger | undefined,
): Promise<NodeSetFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const message = `cannot read NodeSet file ${path}: ${errorMessage(error)}; fix the path in the source's files list`;
    logger?.error(message);
    issues.push({ severity: 'error', subject: path, message });
    return undefined;
  }

  try {
    const xml = readNodeSetXml(text);
    for (const problem of xml.problems) {
      issues.push({
        severity: problem.severity,
        subject: path,
        message: `${path}: ${problem.message}`,
      });
    }
    return { path, xml };
  } catch (error) {
    const message = `${path} is not a valid NodeSet2 file: ${errorMessage(error)}; re-export it from the modelling tool`;
    logger?.error(message);
    issues.push({ severity: 'error', subject: path, message });
    return undefined;
  }
}

/** Add one warning per RequiredModel that none of the imported files provides, except namespace 0. */
function reportMissingRequiredModels(
  files: NodeSetFile[],
  importedModels: Set<string>,
  issues: HarvestIssue[],
): void {
  const reported = new Set<string>();

  for (const required of requiredModelsOf(files)) {
    if (required.modelUri === OPCUA_BASE_NAMESPACE_URI || importedModels.has(required.modelUri)) {
      continue;
    }
    if (reported.has(required.modelUri)) {
      continue;
    }
    reported.add(required.modelUri);
    issues.push({
      severity: 'warning',
      subject: required.modelUri,
      message:
        `required model ${required.modelUri} ${required.version ?? ''} was not imported, so references ` +
        'into it stay unresolved; add its NodeSet2 file to the source to resolve them',
    });
  }
}

/**
 * Report references whose source or target no imported file defines.
 * Trimmed NodeSets keep references to removed nodes, so these are
 * warnings, and the reference is otherwise ignored.
 */
function reportDanglingReferences(
  graph: NodeSetGraph,
  files: NodeSetFile[],
  importedModels: Set<string>,
  issues: HarvestIssue[],
): void {
  const requiredBy = new Map(requiredModelsOf(files).map((model) => [model.modelUri, model]));

  for (const edge of graph.edges()) {
    for (const missing of [edge.source, edge.target]) {
      if (isResolvable(graph, missing)) {
        continue;
      }
      issues.push({
        severity: 'warning',
        subject: missing,
        message: `${describeEdge(edge)}: no imported NodeSet defines ${missing}; ${danglingHint(missing, importedModels, requiredBy)}`,
      });
    }
  }

  for (const node of graph.nodes.values()) {
    const parentId = node.parentNodeId;
    if (parentId !== undefined && !isResolvable(graph, parentId)) {
      issues.push({
        severity: 'warning',
        subject: parentId,
        message: `ParentNodeId of ${node.nodeId} is ${parentId}, which no imported NodeSet defines; ${danglingHint(parentId, importedModels, requiredBy)}`,
      });
    }
    if (node.dataType !== undefined && !isResolvable(graph, node.dataType)) {
      issues.push({
        severity: 'warning',
        subject: node.dataType,
        message: `DataType of ${node.nodeId} is ${node.dataType}, which no imported NodeSet defines, so its values are typed unknown; ${danglingHint(node.dataType, importedModels, requiredBy)}`,
      });
    }
  }
}

/**
 * Check whether an imported file or namespace 0 defines a NodeId.
 * NOTE: namespace 0 targets are assumed to exist because every server
 * loads the base NodeSet; they are not checked against it.
 */
function isResolvable(graph: NodeSetGraph, nodeId: string): boolean {
  return (
    graph.nodes.has(nodeId) || parseUriNodeId(nodeId)?.namespaceUri === OPCUA_BASE_NAMESPACE_URI
  );
}

function danglingHint(
  nodeId: string,
  importedModels: Set<string>,
  requiredBy: Map<string, XmlModel>,
): string {
  const namespaceUri = parseUriNodeId(nodeId)?.namespaceUri ?? '';

  if (importedModels.has(namespaceUri)) {
    return `its model ${namespaceUri} was imported, so the NodeSet was trimmed or the node was removed`;
  }

  const required = requiredBy.get(namespaceUri);
  if (required !== undefined) {
    return `it belongs to required model ${namespaceUri} ${required.version ?? ''}, which was not imported; add that NodeSet2 file to resolve it`;
  }

  return `no imported model declares namespace ${namespaceUri}; add the NodeSet2 file that defines it`;
}

function describeEdge(edge: GraphEdge): string {
  const number = baseNumericId(edge.referenceType);
  const name =
    (number === undefined ? undefined : REFERENCE_TYPE_NAMES.get(number)) ?? edge.referenceType;
  return `${name} reference from ${edge.source} to ${edge.target} (in ${edge.file})`;
}

/**
 * Return the models a file defines: its Model elements or, for a file without
 * them, its first namespace URI, which by convention is the file's own.
 */
function modelUrisOf(file: NodeSetFile): string[] {
  if (file.xml.models.length > 0) {
    return file.xml.models.map((model) => model.modelUri);
  }
  const own = file.xml.namespaceUris[0];
  return own === undefined ? [] : [own];
}

function requiredModelsOf(files: NodeSetFile[]): XmlModel[] {
  return files.flatMap((file) => file.xml.models.flatMap((model) => model.requiredModels));
}

/** Build the importer's distribution, which points to the NodeSet2 file that defines the group. */
function nodeSetDistributions(group: NodeGroupModel): HarvestedDistribution[] {
  const sourceFile = group.extraDetails?.['sourceFile'];
  if (typeof sourceFile !== 'string') {
    return [];
  }

  return [
    {
      key: 'nodeset',
      title: 'NodeSet2 file',
      accessUrl: pathToFileURL(resolve(sourceFile)).href,
      mediaType: 'application/xml',
      format: 'OPC UA NodeSet2 XML',
      accessQuery: group.variables.map((variable) => variable.nodeId).join('\n'),
      description:
        'The NodeSet2 file that defines this node group: its information model, not live values.',
    },
  ];
}

function describeSource(
  files: NodeSetFile[],
  importedModels: Set<string>,
  graph: NodeSetGraph,
): Record<string, unknown> {
  const requiredModels = new Map<string, Record<string, unknown>>();
  for (const model of requiredModelsOf(files)) {
    requiredModels.set(model.modelUri, {
      ...modelFacts(model),
      imported: model.modelUri === OPCUA_BASE_NAMESPACE_URI || importedModels.has(model.modelUri),
    });
  }

  return {
    files: files.map((file) => ({
      path: file.path,
      namespaceUris: file.xml.namespaceUris,
      models: file.xml.models.map((model) => model.modelUri),
    })),
    namespaceUris: [...new Set(files.flatMap((file) => file.xml.namespaceUris))],
    models: files.flatMap((file) =>
      file.xml.models.map((model) => ({
        ...modelFacts(model),
        requiredModels: model.requiredModels.map(modelFacts),
      })),
    ),
    requiredModels: [...requiredModels.values()],
    nodeCount: graph.nodes.size,
  };
}

function modelFacts(model: XmlModel): Record<string, unknown> {
  return {
    modelUri: model.modelUri,
    ...(model.version === undefined ? {} : { version: model.version }),
    ...(model.publicationDate === undefined ? {} : { publicationDate: model.publicationDate }),
  };
}
