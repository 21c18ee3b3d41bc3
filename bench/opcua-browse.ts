import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { OpcuaHarvester } from '../src/harvest/opcua/opcua.harvester';
import { startOpcuaTestServer } from '../src/harvest/opcua/testing/start-test-server';

/** Result of one browse benchmark run. */
export interface OpcuaBrowseBenchResult {
  /** Nodes the harvester browsed (Objects and Variables below the Objects folder). */
  nodes: number;
  /** Wall time of the whole harvest: connect, browse, attribute reads, DataType resolution. */
  seconds: number;
  nodesPerSecond: number;
  /** Wall time until the last browse batch returned, without the attribute reads. */
  browseSeconds: number;
  datasets: number;
}

/**
 * Harvest a node-opcua test server on 127.0.0.1 that contains `variables`
 * generated Double variables (100 per object) and measure nodes per second.
 * Server and harvester share this process, so both compete for the CPU.
 */
export async function benchOpcuaBrowse(options: {
  variables: number;
}): Promise<OpcuaBrowseBenchResult> {
  const server = await startOpcuaTestServer({ generatedVariables: options.variables });

  try {
    const harvester = new OpcuaHarvester(
      {
        id: 'bench-opcua',
        kind: 'opcua',
        endpointUrl: server.endpointUrl,
        securityMode: 'None',
        securityPolicy: 'None',
        maxNodes: options.variables * 2 + 1000,
        intervalSeconds: 0,
        enabled: true,
      },
      {
        pkiDirectory: join(tmpdir(), 'weft-opcua-client-pki-bench'),
        onProgress: () => {
          browseEnded = performance.now();
        },
      },
    );

    let browseEnded = 0;
    const started = performance.now();
    const snapshot = await harvester.harvest(new AbortController().signal);
    const ended = performance.now();
    await harvester.close();

    const errors = snapshot.issues.filter((issue) => issue.severity === 'error');
    if (errors.length > 0) {
      throw new Error(
        `OPC UA browse benchmark failed: ${errors.map((issue) => issue.message).join('; ')}`,
      );
    }

    const nodes = Number(snapshot.sourceDetails['browsedNodes'] ?? 0);
    const seconds = (ended - started) / 1000;
    return {
      nodes,
      seconds,
      nodesPerSecond: nodes / seconds,
      browseSeconds: (browseEnded - started) / 1000,
      datasets: snapshot.datasets.length,
    };
  } finally {
    await server.stop();
  }
}
