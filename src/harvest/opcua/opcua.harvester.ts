import { homedir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';

import type { OpcuaSourceConfig } from '../../sources/source-config.types';
import type {
  Harvester,
  HarvestedDistribution,
  HarvestIssue,
  HarvestSnapshot,
} from '../harvest.types';
import { browseAddressSpace } from './opcua-address-space.browser';
import type { BrowseLimits, BrowseProgress } from './opcua-address-space.browser';
import { readNodeFacts, resolveDataTypes } from './opcua-attribute.reader';
import { OpcuaConnection } from './opcua-connection';
import type { OpcuaConnectionLimits } from './opcua-connection';
import { buildLiveNodeGroups } from './opcua-live-node-groups';
import { OPCUA_HARVESTER_NAME, errorMessage } from './opcua-logger';
import type { OpcuaLogger } from './opcua-logger';
import { toNodeGroupDataset } from './opcua-node-group.mapper';
import { parseUriNodeId } from './opcua-node-id';
import type { NodeGroupModel } from './opcua-node-model';
import { baseNodeId } from './nodeset-graph';
import { readRootNode, readServerFacts } from './opcua-server-facts';
import type { ServerFacts } from './opcua-server-facts';

/** Tuning of the live harvester; every field has a default. */
export interface OpcuaHarvesterOptions {
  logger?: OpcuaLogger;
  connectTimeoutMs?: number;
  connectAttempts?: number;
  retryDelayMs?: number;
  requestTimeoutMs?: number;
  /** Deadline of a whole harvest run, on top of the caller's AbortSignal. */
  harvestTimeoutMs?: number;
  browseBatchSize?: number;
  readBatchSize?: number;
  maxReferencesPerNode?: number;
  /** Folder of the client certificate and trusted server certificates; default ~/.config/weft/opcua-pki. */
  pkiDirectory?: string;
  /** Called after each browse batch; the harvester awaits it, so a caller can pace a run. */
  onProgress?: (progress: BrowseProgress) => void | Promise<void>;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  connectAttempts: 3,
  retryDelayMs: 500,
  requestTimeoutMs: 30_000,
  harvestTimeoutMs: 10 * 60_000,
  browseBatchSize: 200,
  readBatchSize: 1000,
  maxReferencesPerNode: 1000,
  pkiDirectory: join(homedir(), '.config', 'weft', 'opcua-pki'),
};

/** The Objects folder (i=85), the default browse root. */
const OBJECTS_FOLDER = baseNodeId(85);

/**
 * The Server object (i=2253) describes the server itself (diagnostics,
 * capabilities), not site data; its facts go to sourceDetails instead.
 */
const SERVER_OBJECT = baseNodeId(2253);

/** Everything one live harvest collected before mapping. */
interface LiveHarvest {
  server: ServerFacts;
  groups: NodeGroupModel[];
  browsedNodes: number;
  truncated: boolean;
}

/**
 * Harvests an OPC UA server's address space with node-opcua. Each run opens
 * its own connection and closes it at the end. When the server is down or
 * breaks off, `harvest()` still resolves, with the failure as an issue.
 */
export class OpcuaHarvester implements Harvester {
  readonly kind = 'opcua' as const;
  private readonly logger: OpcuaLogger;
  private readonly options: OpcuaHarvesterOptions & typeof DEFAULTS;
  private readonly active = new Set<OpcuaConnection>();

  constructor(
    private readonly config: OpcuaSourceConfig,
    options: OpcuaHarvesterOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(OpcuaHarvester.name);
    this.options = { ...DEFAULTS, ...options };
  }

  async harvest(signal: AbortSignal): Promise<HarvestSnapshot> {
    const startedAt = new Date().toISOString();
    const issues: HarvestIssue[] = [];
    const root = this.config.browseRoot ?? OBJECTS_FOLDER;
    const snapshot = (live: LiveHarvest | undefined): HarvestSnapshot =>
      this.toSnapshot(startedAt, root, live, issues);

    if (parseUriNodeId(root) === undefined) {
      issues.push({
        severity: 'error',
        subject: this.config.endpointUrl,
        message: `browseRoot "${root}" of source ${this.config.id} is not a NodeId of the form nsu=<namespace URI>;i=<number>; fix it in the source configuration`,
      });
      return snapshot(undefined);
    }

    const runSignal = AbortSignal.any([signal, AbortSignal.timeout(this.options.harvestTimeoutMs)]);
    const connection = new OpcuaConnection(
      this.config,
      this.connectionLimits(),
      this.logger,
      runSignal,
    );
    this.active.add(connection);
    this.logger.log(
      `OPC UA source ${this.config.id}: harvest of ${this.config.endpointUrl} started`,
    );

    try {
      await connection.open();
    } catch (error) {
      await this.forget(connection);
      const reason = errorMessage(error);
      const fix = /BadCertificateUntrusted/.test(reason)
        ? `Weft does not trust the server's certificate: set serverCertificateFile to it (node-opcua left a copy in ${join(this.options.pkiDirectory, 'rejected')}), or set trustUnknownServerCertificate to true`
        : 'check that the server runs and that the endpoint URL, security mode, security policy and credentials match it';
      const message = `cannot connect to ${this.config.endpointUrl} ${reason}; ${fix}`;
      this.logger.error(`OPC UA source ${this.config.id}: ${message}`);
      issues.push({ severity: 'error', subject: this.config.endpointUrl, message });
      return snapshot(undefined);
    }

    try {
      const live = await this.collect(connection, root);
      this.reportConnectionEvents(connection, issues);
      return snapshot(live);
    } catch (error) {
      this.reportConnectionEvents(connection, issues);
      const message = `harvest of ${this.config.endpointUrl} failed: ${errorMessage(error)}; the next run starts over`;
      this.logger.error(`OPC UA source ${this.config.id}: ${message}`);
      issues.push({ severity: 'error', subject: this.config.endpointUrl, message });
      return snapshot(undefined);
    } finally {
      await this.forget(connection);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.active].map(async (connection) => this.forget(connection)));
  }

  private async collect(connection: OpcuaConnection, root: string): Promise<LiveHarvest> {
    const server = await readServerFacts(connection);
    const rootNode = await readRootNode(connection, root);

    const outcome = await browseAddressSpace(
      connection,
      rootNode,
      new Set([SERVER_OBJECT]),
      this.browseLimits(server),
      this.options.onProgress,
    );

    const readBatchSize = capped(this.options.readBatchSize, server.maxNodesPerRead);
    const facts = await readNodeFacts(connection, outcome, readBatchSize);
    const dataTypeIds = new Set(
      [...facts.variables.values()].flatMap((variable) =>
        variable.dataType === undefined ? [] : [variable.dataType],
      ),
    );
    const dataTypes = await resolveDataTypes(connection, dataTypeIds, readBatchSize);
    const groups = buildLiveNodeGroups(outcome, facts, dataTypes);

    this.logger.log(
      `OPC UA source ${this.config.id}: browsed ${outcome.nodes.size} nodes of ${this.config.endpointUrl}, ` +
        `${groups.length} node groups${outcome.truncated ? ` (stopped at maxNodes ${this.config.maxNodes})` : ''}`,
    );

    return { server, groups, browsedNodes: outcome.nodes.size, truncated: outcome.truncated };
  }

  private toSnapshot(
    startedAt: string,
    root: string,
    live: LiveHarvest | undefined,
    issues: HarvestIssue[],
  ): HarvestSnapshot {
    if (live?.truncated === true) {
      issues.push({
        severity: 'warning',
        subject: this.config.endpointUrl,
        message: `browse stopped at maxNodes ${this.config.maxNodes}, so the snapshot is partial; raise maxNodes or set browseRoot to a smaller subtree`,
      });
    }

    const datasets = (live?.groups ?? []).map((group) =>
      toNodeGroupDataset(group, {
        distributions: (model) => this.distributions(model),
        ...(this.config.place === undefined ? {} : { place: this.config.place }),
      }),
    );

    return {
      sourceId: this.config.id,
      sourceKind: 'opcua',
      harvester: OPCUA_HARVESTER_NAME,
      startedAt,
      endedAt: new Date().toISOString(),
      sourceDetails: {
        endpointUrl: this.config.endpointUrl,
        securityMode: this.config.securityMode,
        securityPolicy: this.config.securityPolicy,
        browseRoot: root,
        maxNodes: this.config.maxNodes,
        ...(live === undefined
          ? {}
          : {
              namespaceArray: live.server.namespaceArray,
              buildInfo: live.server.buildInfo,
              operationLimits: {
                maxNodesPerRead: live.server.maxNodesPerRead,
                maxNodesPerBrowse: live.server.maxNodesPerBrowse,
              },
              browsedNodes: live.browsedNodes,
            }),
      },
      datasets,
      issues,
      complete:
        live !== undefined &&
        !live.truncated &&
        !issues.some((issue) => issue.severity === 'error'),
    };
  }

  private distributions(group: NodeGroupModel): HarvestedDistribution[] {
    return [
      {
        key: 'opcua',
        title: 'OPC UA server',
        accessUrl: this.config.endpointUrl,
        format: 'OPC UA binary',
        accessQuery: group.variables.map((variable) => variable.nodeId).join('\n'),
        description:
          'Read or subscribe to these NodeIds on the server; each is written with its namespace URI, so look up the namespace index in the server NamespaceArray first.',
      },
    ];
  }

  private reportConnectionEvents(connection: OpcuaConnection, issues: HarvestIssue[]): void {
    for (const event of connection.events) {
      if (event.recovered) {
        issues.push({
          severity: 'warning',
          subject: this.config.endpointUrl,
          message: `connection lost during ${event.step} (${event.reason}); reconnected once and continued`,
        });
      }
    }
  }

  private connectionLimits(): OpcuaConnectionLimits {
    return {
      connectTimeoutMs: this.options.connectTimeoutMs,
      connectAttempts: this.options.connectAttempts,
      retryDelayMs: this.options.retryDelayMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
      pkiDirectory: this.options.pkiDirectory,
    };
  }

  private browseLimits(server: ServerFacts): BrowseLimits {
    return {
      maxNodes: this.config.maxNodes,
      browseBatchSize: capped(this.options.browseBatchSize, server.maxNodesPerBrowse),
      maxReferencesPerNode: this.options.maxReferencesPerNode,
    };
  }

  private async forget(connection: OpcuaConnection): Promise<void> {
    this.active.delete(connection);
    await connection.dispose();
  }
}

/** Cap a batch size by a server operation limit; 0 or undefined means the server sets none. */
function capped(size: number, serverLimit: number | undefined): number {
  return serverLimit === undefined || serverLimit <= 0 ? size : Math.min(size, serverLimit);
}
