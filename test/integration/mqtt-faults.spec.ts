import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

import { connectAsync } from 'mqtt';
import type { MqttClient } from 'mqtt';

import { MqttHarvester } from '../../src/harvest/mqtt/mqtt.harvester';
import type { HarvesterLogger } from '../../src/harvest/mqtt/mqtt-observer';
import type { MqttSourceConfig } from '../../src/sources/source-config.types';
import { loadTestEnv } from '../env/load-env';

/**
 * Faults the MQTT harvester must survive: a broker restart in the middle of
 * a harvest, a broker that is not there, bad credentials, an untrusted
 * certificate, garbage payloads, and a broker that only speaks MQTT 3.1.1.
 */

const env = loadTestEnv();
const RESTART_SCRIPT = path.resolve(__dirname, '../../scripts/test-env/restart.sh');
const PASSWORD_VARIABLE = 'WEFT_IT_MQTT_FAULTS_PASSWORD';
const run = promisify(execFile);

/** Per-test limit: jest's testTimeout does not reach tests inside a project, so each test passes its own. */
const TEST_TIMEOUT_MS = 60_000;

interface LogEntry {
  level: 'log' | 'warn' | 'error';
  entry: unknown;
}

/** Keeps log entries for assertions instead of printing them. */
class CapturingLogger implements HarvesterLogger {
  readonly entries: LogEntry[] = [];

  log(entry: unknown): void {
    this.entries.push({ level: 'log', entry });
  }

  warn(entry: unknown): void {
    this.entries.push({ level: 'warn', entry });
  }

  error(entry: unknown): void {
    this.entries.push({ level: 'error', entry });
  }

  find(level: LogEntry['level'], msg: string): Record<string, unknown> | undefined {
    const found = this.entries.find(
      (item) => item.level === level && (item.entry as { msg?: unknown }).msg === msg,
    );
    return found?.entry as Record<string, unknown> | undefined;
  }
}

function readerConfig(prefix: string, overrides: Partial<MqttSourceConfig> = {}): MqttSourceConfig {
  return {
    id: `faults-${prefix.split('/').pop()}`,
    kind: 'mqtt',
    url: env.WEFT_TEST_MQTTS_URL,
    username: env.WEFT_TEST_MQTT_READER_USERNAME,
    password: { env: PASSWORD_VARIABLE },
    caFile: env.WEFT_TEST_MQTT_CA_FILE,
    topics: [`${prefix}/#`],
    observeSeconds: 2,
    intervalSeconds: 0,
    enabled: true,
    ...overrides,
  };
}

function uniquePrefix(): string {
  return `weft-faults/${randomUUID().slice(0, 8)}`;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    }
    await delay(50);
  }
}

async function connectPublisher(): Promise<MqttClient> {
  return connectAsync(env.WEFT_TEST_MQTT_URL, {
    username: env.WEFT_TEST_MQTT_USERNAME,
    password: env.WEFT_TEST_MQTT_PASSWORD,
    clientId: `weft-faults-publisher-${randomUUID().slice(0, 8)}`,
    reconnectPeriod: 200,
  });
}

/** Find a loopback port that nothing listens on: bind port 0, note the port, close. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('MQTT harvester faults', () => {
  let publisher: MqttClient;

  beforeAll(async () => {
    process.env[PASSWORD_VARIABLE] = env.WEFT_TEST_MQTT_READER_PASSWORD;
    publisher = await connectPublisher();
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await publisher?.endAsync();
    delete process.env[PASSWORD_VARIABLE];
  });

  it(
    'reconnects after a broker restart and keeps what it saw',
    async () => {
      const prefix = uniquePrefix();
      const sourceId = `faults-${prefix.split('/').pop()}`;
      const logger = new CapturingLogger();
      const harvester = new MqttHarvester(readerConfig(prefix, { observeSeconds: 3 }), {
        logger,
        reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 },
      });

      try {
        harvester.start();
        await waitFor(
          () => harvester.connectionStatus()?.subscribedAt !== undefined,
          'the harvester has subscribed',
        );
        await publisher.publishAsync(`${prefix}/kept`, 'v1', { qos: 1, retain: true });
        await publisher.publishAsync(`${prefix}/before`, '1', { qos: 1 });
        await delay(300);

        // The broker restarts while a harvest listens; that harvest reports at most a warning.
        const [during] = await Promise.all([
          harvester.harvest(new AbortController().signal),
          run('bash', [RESTART_SCRIPT, 'mosquitto'], { timeout: 60_000 }),
        ]);
        expect(during.issues.filter((issue) => issue.severity === 'error')).toEqual([]);

        await waitFor(
          () => (harvester.connectionStatus()?.reconnectCount ?? 0) >= 1,
          'the harvester has reconnected',
        );
        await waitFor(() => {
          const status = harvester.connectionStatus();
          return (
            status?.subscribedAt !== undefined &&
            status.subscribedAt >= (status.lastConnectedAt ?? Infinity)
          );
        }, 'the harvester has subscribed again');
        await waitFor(() => publisher.connected, 'the publisher has reconnected');
        await publisher.publishAsync(`${prefix}/after`, '2', { qos: 1 });

        const after = await harvester.harvest(new AbortController().signal);

        expect(after.issues).toEqual([]);
        expect(after.sourceDetails).toMatchObject({ connected: true, reconnects: 1 });
        expect(after.datasets.map((dataset) => dataset.key)).toEqual([
          `${prefix}/after`,
          `${prefix}/before`,
          `${prefix}/kept`,
        ]);

        const kept = after.datasets.find((dataset) => dataset.key === `${prefix}/kept`)!;
        // The broker kept the retained message across the restart and sent it again on the new subscription.
        expect(kept.details).toMatchObject({
          messageCount: 2,
          retainedMessageCount: 1,
          retained: true,
        });
        const before = after.datasets.find((dataset) => dataset.key === `${prefix}/before`)!;
        expect(before.details).toMatchObject({ messageCount: 1 });

        expect(logger.find('warn', 'MQTT connection lost; reconnecting')).toMatchObject({
          sourceId,
          url: env.WEFT_TEST_MQTTS_URL,
        });
        expect(logger.find('log', 'MQTT broker reconnected')).toMatchObject({
          sourceId,
          url: env.WEFT_TEST_MQTTS_URL,
        });
      } finally {
        await harvester.close();
        await publisher.publishAsync(`${prefix}/kept`, Buffer.alloc(0), { qos: 1, retain: true });
      }
    },
    2 * TEST_TIMEOUT_MS,
  );

  it(
    'reports a broker that is not there and still resolves',
    async () => {
      const port = await unusedPort();
      const logger = new CapturingLogger();
      const harvester = new MqttHarvester(
        readerConfig('weft-faults/unreachable', {
          url: `mqtt://weft:secret-in-url@127.0.0.1:${port}`,
          caFile: undefined,
          observeSeconds: 1,
        }),
        { logger, reconnect: { initialDelayMs: 100, maxDelayMs: 200 } },
      );

      try {
        const snapshot = await harvester.harvest(new AbortController().signal);

        expect(snapshot.datasets).toEqual([]);
        expect(snapshot.issues).toEqual([
          {
            severity: 'error',
            subject: `mqtt://127.0.0.1:${port}`,
            message: `cannot connect to the MQTT broker at mqtt://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}; check that it runs and that the URL, credentials and CA file are right (retrying with backoff)`,
          },
        ]);
        expect(JSON.stringify(snapshot)).not.toContain('secret-in-url');
        expect(JSON.stringify(logger.entries)).not.toContain('secret-in-url');
        expect(logger.find('warn', 'MQTT connection failed; retrying')).toMatchObject({
          url: `mqtt://127.0.0.1:${port}`,
        });
      } finally {
        await harvester.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it('reports rejected credentials without the password', async () => {
    process.env.WEFT_IT_MQTT_WRONG_PASSWORD = 'not-the-password-42';
    const harvester = new MqttHarvester(
      readerConfig(uniquePrefix(), {
        password: { env: 'WEFT_IT_MQTT_WRONG_PASSWORD' },
        observeSeconds: 1,
      }),
      { logger: new CapturingLogger(), reconnect: { initialDelayMs: 500, maxDelayMs: 1_000 } },
    );

    try {
      const snapshot = await harvester.harvest(new AbortController().signal);

      expect(snapshot.issues).toHaveLength(1);
      expect(snapshot.issues[0].severity).toBe('error');
      expect(snapshot.issues[0].message).toMatch(
        new RegExp(
          `^cannot connect to the MQTT broker at ${env.WEFT_TEST_MQTTS_URL}: Connection refused: (Bad User Name or Password|Not authorized)`,
        ),
      );
      expect(JSON.stringify(snapshot)).not.toContain('not-the-password-42');
    } finally {
      await harvester.close();
      delete process.env.WEFT_IT_MQTT_WRONG_PASSWORD;
    }
  });

  it(
    'rejects a broker certificate that no configured CA signed',
    async () => {
      const harvester = new MqttHarvester(
        readerConfig(uniquePrefix(), { caFile: undefined, observeSeconds: 1 }),
        {
          logger: new CapturingLogger(),
          reconnect: { initialDelayMs: 500, maxDelayMs: 1_000 },
        },
      );

      try {
        const snapshot = await harvester.harvest(new AbortController().signal);

        expect(snapshot.issues).toHaveLength(1);
        expect(snapshot.issues[0].severity).toBe('error');
        expect(snapshot.issues[0].message).toContain(
          `cannot connect to the MQTT broker at ${env.WEFT_TEST_MQTTS_URL}:`,
        );
        expect(snapshot.issues[0].message).toMatch(/certificate/);
      } finally {
        await harvester.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports a missing secret as an issue',
    async () => {
      const config = readerConfig(uniquePrefix(), {
        password: { env: 'WEFT_IT_MQTT_UNSET_PASSWORD' },
        observeSeconds: 1,
      });
      const harvester = new MqttHarvester(config, { logger: new CapturingLogger() });

      try {
        const snapshot = await harvester.harvest(new AbortController().signal);

        expect(snapshot.datasets).toEqual([]);
        expect(snapshot.issues).toEqual([
          {
            severity: 'error',
            subject: env.WEFT_TEST_MQTTS_URL,
            message: `MQTT source ${config.id}: environment variable WEFT_IT_MQTT_UNSET_PASSWORD is empty or unset; set it to the secret`,
          },
        ]);
      } finally {
        await harvester.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'goes on after garbage payloads',
    async () => {
      const prefix = uniquePrefix();
      const harvester = new MqttHarvester(readerConfig(prefix), { logger: new CapturingLogger() });

      try {
        harvester.start();
        await waitFor(
          () => harvester.connectionStatus()?.subscribedAt !== undefined,
          'the harvester has subscribed',
        );
        const harvest = harvester.harvest(new AbortController().signal);

        await publisher.publishAsync(`${prefix}/good/1`, '{"t":21.5}', { qos: 1 });
        await publisher.publishAsync(`${prefix}/bad/bytes`, Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), {
          qos: 1,
        });
        await publisher.publishAsync(`${prefix}/bad/json`, '{"t":', { qos: 1 });
        await publisher.publishAsync(`${prefix}/bad/unclosed`, '['.repeat(100_000), { qos: 1 });
        await publisher.publishAsync(
          `${prefix}/bad/deep`,
          '['.repeat(50_000) + ']'.repeat(50_000),
          { qos: 1 },
        );
        await publisher.publishAsync(`${prefix}/good/2`, 'ON', { qos: 1 });

        const snapshot = await harvest;
        const byKey = new Map(
          snapshot.datasets.map((dataset) => [dataset.key.slice(prefix.length + 1), dataset]),
        );

        expect([...byKey.keys()].sort()).toEqual([
          'bad/bytes',
          'bad/deep',
          'bad/json',
          'bad/unclosed',
          'good/1',
          'good/2',
        ]);
        expect(byKey.get('good/1')!.properties).toEqual([
          { name: 't', datatypes: ['xsd:double'], observedCount: 1, minimum: 21.5, maximum: 21.5 },
        ]);
        expect(byKey.get('good/2')!.properties).toEqual([
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['ON'] },
        ]);
        expect(byKey.get('bad/bytes')!.details).toMatchObject({ nonUtf8: true, format: 'binary' });
        expect(byKey.get('bad/json')!.properties).toEqual([
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['{"t":'] },
        ]);
        expect(byKey.get('bad/unclosed')!.details).toMatchObject({ payloadKinds: { text: 1 } });
        expect(byKey.get('bad/deep')!.properties).toEqual([
          // Containers down to depth 16 are recorded; the one at depth 17 has 16 array markers.
          { name: '[]'.repeat(16), datatypes: ['rdf:JSON'], observedCount: 1 },
        ]);
        expect(snapshot.issues).toEqual([
          {
            severity: 'warning',
            subject: `${prefix}/bad/deep`,
            message:
              '1 JSON values nested deeper than the depth limit were recorded as rdf:JSON without their content',
          },
        ]);
        expect(harvester.connectionStatus()).toMatchObject({
          connected: true,
          messageErrors: 0,
          reconnectCount: 0,
        });
      } finally {
        await harvester.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  describe('a broker that speaks only MQTT 3.1.1', () => {
    // Debian's Mosquitto accepts MQTT 5, so no real broker here can refuse it. This peer
    // replies at the transport boundary with the bytes that MQTT 3.1.1 section 3.1.2.2
    // prescribes for an unsupported protocol level, and serves one message over 3.1.1.
    let server: Server;
    const levels: number[] = [];

    beforeAll(async () => {
      server = createServer((socket) => serveLegacyClient(socket, levels));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it(
      'falls back from MQTT 5 to 3.1.1',
      async () => {
        const port = (server.address() as AddressInfo).port;
        const logger = new CapturingLogger();
        const harvester = new MqttHarvester(
          {
            id: 'legacy',
            kind: 'mqtt',
            url: `mqtt://127.0.0.1:${port}`,
            topics: ['#'],
            observeSeconds: 1,
            intervalSeconds: 0,
            enabled: true,
          },
          { logger, reconnect: { initialDelayMs: 5_000, maxDelayMs: 5_000 } },
        );

        try {
          const snapshot = await harvester.harvest(new AbortController().signal);

          expect(levels.slice(0, 2)).toEqual([5, 4]);
          expect(snapshot.sourceDetails).toMatchObject({
            protocolVersion: 'MQTT 3.1.1',
            connected: true,
          });
          expect(snapshot.issues).toEqual([]);
          expect(snapshot.datasets.map((dataset) => [dataset.key, dataset.properties])).toEqual([
            [
              'legacy/temperature',
              [
                {
                  name: '$',
                  datatypes: ['xsd:double'],
                  observedCount: 1,
                  minimum: 21.5,
                  maximum: 21.5,
                },
              ],
            ],
          ]);
          expect(
            logger.find('warn', 'MQTT broker does not support MQTT 5; falling back to MQTT 3.1.1'),
          ).toMatchObject({ sourceId: 'legacy' });
        } finally {
          await harvester.close();
        }
      },
      TEST_TIMEOUT_MS,
    );
  });
});

/**
 * A minimal MQTT 3.1.1 server: refuses CONNECT with another protocol level
 * (CONNACK return code 1), accepts level 4, replies to SUBSCRIBE and PINGREQ,
 * and publishes `legacy/temperature` = `21.5` after the subscription.
 */
function serveLegacyClient(socket: Socket, levels: number[]): void {
  let buffered = Buffer.alloc(0);

  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const packet = nextPacket(buffered);
      if (packet === undefined) {
        return;
      }
      buffered = buffered.subarray(packet.length);
      answer(socket, packet.type, packet.body, levels);
    }
  });
}

function nextPacket(buffer: Buffer): { type: number; body: Buffer; length: number } | undefined {
  if (buffer.length < 2) {
    return undefined;
  }
  let remaining = 0;
  let multiplier = 1;
  let offset = 1;
  for (;;) {
    if (offset >= buffer.length) {
      return undefined;
    }
    const byte = buffer[offset];
    remaining += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    offset += 1;
    if ((byte & 0x80) === 0) {
      break;
    }
  }
  if (buffer.length < offset + remaining) {
    return undefined;
  }
  return {
    type: buffer[0] >> 4,
    body: buffer.subarray(offset, offset + remaining),
    length: offset + remaining,
  };
}

function answer(socket: Socket, type: number, body: Buffer, levels: number[]): void {
  const CONNECT = 1;
  const SUBSCRIBE = 8;
  const PINGREQ = 12;
  const DISCONNECT = 14;

  if (type === CONNECT) {
    // Protocol name "MQTT" as a 2-byte length and 4 bytes, then the level.
    const level = body[6];
    levels.push(level);
    if (level !== 4) {
      socket.end(Buffer.from([0x20, 0x02, 0x00, 0x01]));
      return;
    }
    socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
  } else if (type === SUBSCRIBE) {
    socket.write(Buffer.from([0x90, 0x03, body[0], body[1], 0x00]));
    const topic = Buffer.from('legacy/temperature');
    const payload = Buffer.from('21.5');
    const length = 2 + topic.length + payload.length;
    socket.write(Buffer.concat([Buffer.from([0x30, length, 0x00, topic.length]), topic, payload]));
  } else if (type === PINGREQ) {
    socket.write(Buffer.from([0xd0, 0x00]));
  } else if (type === DISCONNECT) {
    socket.end();
  }
}
