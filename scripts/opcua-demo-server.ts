/**
 * Runs the demo OPC UA server on 127.0.0.1: the standard NodeSet, the
 * companion-specification NodeSet with its required models, and a simulated
 * bioreactor with EngineeringUnits and changing values. Prints the endpoint
 * URL on stdout as one JSON line and runs until SIGINT or SIGTERM.
 *
 * Settings (environment):
 *   WEFT_OPCUA_DEMO_PORT      TCP port, default 0 (a free port)
 *   WEFT_OPCUA_DEMO_NODESETS  NodeSet2 files to load, separated by ':' (default: the corpus NodeSet)
 *   WEFT_OPCUA_DEMO_USER      username allowed to write (optional)
 *   WEFT_OPCUA_DEMO_PASSWORD_FILE  file containing that user's password (required with WEFT_OPCUA_DEMO_USER)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { startOpcuaTestServer } from '../src/harvest/opcua/testing/start-test-server';
import type { OpcuaTestUser } from '../src/harvest/opcua/testing/start-test-server';

/** Find the repository root: the nearest folder above this file with a package.json (works from scripts/ and dist/scripts/). */
function repoRoot(): string {
  let folder = __dirname;
  while (!existsSync(resolve(folder, 'package.json')) && dirname(folder) !== folder) {
    folder = dirname(folder);
  }
  return folder;
}

function demoNodeSets(): string[] {
  const configured = process.env['WEFT_OPCUA_DEMO_NODESETS'];
  if (configured !== undefined && configured !== '') {
    return configured.split(':');
  }

  const corpusDir = resolve(repoRoot(), process.env['WEFT_CORPUS_DIR'] ?? '../shared/corpus');
  return [resolve(corpusDir, 'opcua/machinery_identification_subset.NodeSet2.xml')];
}

function demoUsers(): OpcuaTestUser[] {
  const username = process.env['WEFT_OPCUA_DEMO_USER'];
  if (username === undefined || username === '') {
    return [];
  }

  const passwordFile = process.env['WEFT_OPCUA_DEMO_PASSWORD_FILE'];
  if (passwordFile === undefined || passwordFile === '') {
    throw new Error(
      'WEFT_OPCUA_DEMO_USER is set but WEFT_OPCUA_DEMO_PASSWORD_FILE is not; set it to a file that contains the password',
    );
  }
  return [{ username, password: readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '') }];
}

function demoPort(): number {
  const text = process.env['WEFT_OPCUA_DEMO_PORT'] ?? '0';
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`WEFT_OPCUA_DEMO_PORT="${text}" is not a TCP port; set it to 0..65535`);
  }
  return port;
}

async function main(): Promise<void> {
  const server = await startOpcuaTestServer({
    port: demoPort(),
    nodesetFiles: demoNodeSets(),
    withSimulatedValues: true,
    users: demoUsers(),
  });

  process.stdout.write(
    `${JSON.stringify({ endpointUrl: server.endpointUrl, namespaceArray: server.namespaceArray(), missingModels: server.missingModels })}\n`,
  );

  const stop = (signal: string): void => {
    process.stderr.write(`opcua-demo-server: ${signal} received, stopping\n`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`opcua-demo-server: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `opcua-demo-server: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
