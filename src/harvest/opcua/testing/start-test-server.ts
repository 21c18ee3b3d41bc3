import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  WellKnownRoles,
  makeRoles,
} from 'node-opcua';
import type { OPCUAServerOptions, UAObject } from 'node-opcua';

import {
  READ_ONLY_FOR_ANONYMOUS,
  addBioreactor,
  addGeneratedVariables,
} from './test-address-space';
import type { SimulationHandle } from './test-address-space';
import { planNodeSetLoad } from './nodeset-dependencies';

/** A user the test server accepts, with write access to writable variables. */
export interface OpcuaTestUser {
  username: string;
  password: string;
}

/** Options of a throwaway OPC UA server for tests, the demo and the benchmark. */
export interface OpcuaTestServerOptions {
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one (kept across restart()). */
  port?: number;
  /** NodeSet2 files to load after the standard NodeSet; their shipped RequiredModels are loaded first. */
  nodesetFiles?: string[];
  /** Add the simulated bioreactor with EngineeringUnits and changing values. */
  withSimulatedValues?: boolean;
  /** Users that may log in with username and password; anonymous sessions may only read. */
  users?: OpcuaTestUser | OpcuaTestUser[];
  /** Number of generated Double variables (100 per object) for load tests. */
  generatedVariables?: number;
  /** Folder of the server's certificate; a fixed folder under the OS temp dir by default. */
  pkiDirectory?: string;
}

/** A running test server. */
export interface OpcuaTestServer {
  endpointUrl: string;
  /** The server's NamespaceArray as loaded, to show namespace indexes in tests. */
  namespaceArray: () => string[];
  /** Required models of the NodeSet files that node-opcua-nodesets does not ship. */
  missingModels: string[];
  /** The NodeSet files loaded, in load order. */
  loadedNodeSets: string[];
  stop: () => Promise<void>;
  /** Shut the server down and start a new one on the same port with the same address space. */
  restart: () => Promise<void>;
}

/** Namespace of the simulated site objects; fixed so their NodeIds are stable across machines. */
export const TEST_SERVER_NAMESPACE_URI = 'urn:weft:opcua-test-server';

/** Application URI of the test server; fixed instead of node-opcua's hostname-based default. */
const APPLICATION_URI = 'urn:weft:opcua-test-server:application';

/**
 * Start an OPC UA server on 127.0.0.1. Anonymous sessions may browse and
 * read. Writable variables accept writes only from the given users (role
 * AuthenticatedUser), because Weft allows no anonymous write.
 */
export async function startOpcuaTestServer(
  options: OpcuaTestServerOptions = {},
): Promise<OpcuaTestServer> {
  const plan = planNodeSetLoad(options.nodesetFiles ?? []);
  const users = normalizeUsers(options.users);
  let port = options.port ?? 0;

  let running = await startServer(options, plan.files, users, port);
  port = Number(new URL(running.server.getEndpointUrl()).port);
  const endpointUrl = `opc.tcp://127.0.0.1:${port}`;

  return {
    endpointUrl,
    missingModels: plan.missingModels,
    loadedNodeSets: plan.files,
    namespaceArray: () =>
      running.server.engine.addressSpace
        ?.getNamespaceArray()
        .map((namespace) => namespace.namespaceUri) ?? [],
    stop: async () => stopServer(running),
    restart: async () => {
      await stopServer(running);
      running = await startServer(options, plan.files, users, port);
    },
  };
}

interface RunningServer {
  server: OPCUAServer;
  simulation?: SimulationHandle;
}

async function startServer(
  options: OpcuaTestServerOptions,
  nodesetFiles: string[],
  users: OpcuaTestUser[],
  port: number,
): Promise<RunningServer> {
  const server = new OPCUAServer(serverOptions(options, nodesetFiles, users, port));
  await server.initialize();

  const addressSpace = server.engine.addressSpace;
  if (addressSpace === null) {
    throw new Error('the OPC UA test server has no address space after initialize()');
  }

  const namespace = addressSpace.registerNamespace(TEST_SERVER_NAMESPACE_URI);
  // Every node of the site namespace denies writes to anonymous sessions, whatever its AccessLevel.
  namespace.setDefaultRolePermissions(READ_ONLY_FOR_ANONYMOUS);
  const objects: UAObject = addressSpace.rootFolder.objects;
  const running: RunningServer = { server };

  if (options.withSimulatedValues === true) {
    running.simulation = addBioreactor(addressSpace, namespace, objects);
  }
  if (options.generatedVariables !== undefined && options.generatedVariables > 0) {
    addGeneratedVariables(namespace, objects, options.generatedVariables);
  }

  await server.start();
  return running;
}

async function stopServer(running: RunningServer): Promise<void> {
  running.simulation?.stop();
  await running.server.shutdown(0);
}

function serverOptions(
  options: OpcuaTestServerOptions,
  nodesetFiles: string[],
  users: OpcuaTestUser[],
  port: number,
): OPCUAServerOptions {
  return {
    port,
    hostname: '127.0.0.1',
    alternateHostname: [],
    nodeset_filename: nodesetFiles,
    allowAnonymous: true,
    securityModes: [
      MessageSecurityMode.None,
      MessageSecurityMode.Sign,
      MessageSecurityMode.SignAndEncrypt,
    ],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    serverInfo: {
      applicationUri: APPLICATION_URI,
      productUri: 'urn:weft:opcua-test-server',
      applicationName: { text: 'Weft OPC UA test server' },
    },
    buildInfo: {
      productName: 'Weft OPC UA test server',
      manufacturerName: 'Weft',
      softwareVersion: '0.1.0',
    },
    serverCertificateManager: new OPCUACertificateManager({
      rootFolder: options.pkiDirectory ?? join(tmpdir(), 'weft-opcua-test-server-pki'),
      automaticallyAcceptUnknownCertificate: true,
    }),
    userManager: {
      isValidUser: (username: string, password: string) =>
        users.some((user) => user.username === username && user.password === password),
      getUserRoles: (username: string) =>
        username === 'anonymous'
          ? makeRoles(WellKnownRoles.Anonymous)
          : makeRoles([WellKnownRoles.AuthenticatedUser]),
    },
    disableDiscovery: true,
  };
}

function normalizeUsers(users: OpcuaTestUser | OpcuaTestUser[] | undefined): OpcuaTestUser[] {
  if (users === undefined) {
    return [];
  }
  return Array.isArray(users) ? users : [users];
}
