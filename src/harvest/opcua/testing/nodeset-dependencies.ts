import { openSync, readSync, closeSync } from 'node:fs';

import { nodesets } from 'node-opcua';

/**
 * Finds the NodeSet2 files that node-opcua-nodesets ships for the
 * RequiredModels of other NodeSet files, so a server can load a companion
 * specification with its dependencies, in dependency order.
 */

/** A NodeSet file's own model and the models it requires, read from its header. */
export interface NodeSetHeader {
  file: string;
  modelUris: string[];
  requiredModelUris: string[];
}

/** The files to load, dependencies first, and the required models no file provides. */
export interface NodeSetLoadPlan {
  files: string[];
  missingModels: string[];
}

/** The header (NamespaceUris, Models) sits in the first kilobytes of a NodeSet file. */
const HEADER_BYTES = 64 * 1024;

/** Read the Model and RequiredModel URIs from the start of a NodeSet2 file. */
export function readNodeSetHeader(file: string): NodeSetHeader {
  const text = readPrefix(file, HEADER_BYTES);
  const modelsBlock = /<Models>([\s\S]*?)<\/Models>/.exec(text)?.[1] ?? '';

  const modelUris = [...modelsBlock.matchAll(/<Model\s[^>]*ModelUri="([^"]+)"/g)].map(
    (match) => match[1] ?? '',
  );
  const requiredModelUris = [
    ...modelsBlock.matchAll(/<RequiredModel\s[^>]*ModelUri="([^"]+)"/g),
  ].map((match) => match[1] ?? '');

  return { file, modelUris, requiredModelUris };
}

/**
 * Plan the load order for `files`: the standard NodeSet first, then every
 * shipped NodeSet a file transitively requires, then the files themselves.
 * A required model that neither the files nor node-opcua-nodesets provide
 * is listed in `missingModels`; node-opcua then loads the file without it.
 */
export function planNodeSetLoad(files: readonly string[]): NodeSetLoadPlan {
  const shipped = shippedNodeSetsByModel();
  const given = files.map(readNodeSetHeader);
  const provided = new Map<string, NodeSetHeader>();
  for (const header of given) {
    for (const modelUri of header.modelUris) provided.set(modelUri, header);
  }

  const ordered: string[] = [];
  const missing = new Set<string>();
  const visiting = new Set<string>();

  const visit = (header: NodeSetHeader): void => {
    if (ordered.includes(header.file) || visiting.has(header.file)) {
      return;
    }
    visiting.add(header.file);
    for (const required of header.requiredModelUris) {
      const dependency = provided.get(required) ?? shipped.get(required);
      if (dependency === undefined) {
        missing.add(required);
      } else {
        visit(dependency);
      }
    }
    visiting.delete(header.file);
    ordered.push(header.file);
  };

  visit(readNodeSetHeader(nodesets.standard));
  for (const header of given) visit(header);

  return { files: ordered, missingModels: [...missing] };
}

function shippedNodeSetsByModel(): Map<string, NodeSetHeader> {
  const byModel = new Map<string, NodeSetHeader>();

  for (const file of Object.values(nodesets)) {
    const header = readNodeSetHeader(file);
    for (const modelUri of header.modelUris) {
      if (!byModel.has(modelUri)) byModel.set(modelUri, header);
    }
  }

  return byModel;
}

function readPrefix(file: string, bytes: number): string {
  const descriptor = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(descriptor, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}
