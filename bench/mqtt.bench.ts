import { spawn } from 'node:child_process';
import path from 'node:path';

import mqtt from 'mqtt';

import { MqttObserver } from '../src/harvest/mqtt/mqtt-observer';
import { TopicTree } from '../src/harvest/mqtt/topic-tree';
import { progress, round } from './bench-support';

export interface MqttBrokerSettings {
  url: string;
  publisher: { username: string; password: string };
  subscriber: { username: string; password: string };
  corpusDir: string;
}

export interface MqttBenchResult {
  messages: number;
  topics: number;
  /** Messages per second a subscriber that only counts receives (the ceiling). */
  ceiling: { messagesPerSecond: number; received: number }[];
  /** Messages per second Weft's observer and topic tree take in, with schema inference. */
  weft: { messagesPerSecond: number; received: number }[];
  ratio: number;
}

type Counter = { received: () => number; stop: () => Promise<void> };

async function countingSubscriber(settings: MqttBrokerSettings): Promise<Counter> {
  const client = await mqtt.connectAsync(settings.url, {
    username: settings.subscriber.username,
    password: settings.subscriber.password,
    clientId: `weft-bench-ceiling-${process.pid}`,
  });
  let received = 0;
  client.on('message', () => {
    received += 1;
  });
  await client.subscribeAsync('bench/#', { qos: 0 });
  return { received: () => received, stop: async () => client.endAsync() };
}

async function weftSubscriber(settings: MqttBrokerSettings): Promise<Counter> {
  const tree = new TopicTree({ maxTopics: 20_000 });
  let received = 0;
  let subscribed: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const observer = new MqttObserver(
    {
      sourceId: 'bench',
      url: settings.url,
      displayUrl: settings.url,
      username: settings.subscriber.username,
      password: settings.subscriber.password,
      clientId: `weft-bench-observer-${process.pid}`,
      topicFilters: ['bench/#'],
    },
    {
      logger: silent,
      reconnect: { initialDelayMs: 500, maxDelayMs: 5000 },
      connectTimeoutMs: 10_000,
      maxPacketBytes: 1024 * 1024,
      onMessage: (message) => {
        // BENCH_MQTT_TRANSPORT_ONLY=1 measures the observer's MQTT 5 client without the topic tree.
        if (process.env.BENCH_MQTT_TRANSPORT_ONLY !== '1') {
          tree.record(message);
        }
        received += 1;
      },
      onSubscribe: () => {
        tree.beginSubscription();
        // The subscription request is on its way; give the broker a moment to acknowledge it.
        setTimeout(subscribed, 500);
      },
    },
  );
  observer.start();
  await ready;
  return { received: () => received, stop: async () => observer.stop() };
}

async function publish(
  settings: MqttBrokerSettings,
  count: number,
  topics: number,
): Promise<number> {
  const script = path.join(__dirname, 'mqtt-publisher.js');
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH ?? '',
      BENCH_MQTT_URL: settings.url,
      BENCH_MQTT_USERNAME: settings.publisher.username,
      BENCH_MQTT_PASSWORD: settings.publisher.password,
      BENCH_MQTT_COUNT: String(count),
      BENCH_MQTT_TOPICS: String(topics),
      BENCH_MQTT_CORPUS: path.join(settings.corpusDir, 'mqtt'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`publisher exited with code ${String(code)}`);
  }
  return (JSON.parse(output) as { elapsedMs: number }).elapsedMs;
}

/** Time from the first publication until the subscriber has received everything, or has stopped receiving for 2 s. */
async function measure(
  settings: MqttBrokerSettings,
  counter: Counter,
  count: number,
  topics: number,
): Promise<{ messagesPerSecond: number; received: number }> {
  const started = process.hrtime.bigint();
  const publishing = publish(settings, count, topics);
  let last = -1;
  let lastChange = Date.now();
  let finishedAt = process.hrtime.bigint();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = counter.received();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
      finishedAt = process.hrtime.bigint();
    }
    if (now >= count || Date.now() - lastChange > 2000) {
      break;
    }
  }
  await publishing;
  const seconds = Number(finishedAt - started) / 1e9;
  return {
    messagesPerSecond: round(counter.received() / seconds, 0),
    received: counter.received(),
  };
}

/**
 * Compare Weft's MQTT observation path (mqtt.js client, topic tree, schema
 * inference) with a subscriber that only counts messages, on the same broker
 * with the same publisher, alternating twice.
 */
export async function benchMqtt(
  settings: MqttBrokerSettings,
  count = 200_000,
  topics = 1000,
): Promise<MqttBenchResult> {
  const result: MqttBenchResult = { messages: count, topics, ceiling: [], weft: [], ratio: 0 };
  for (let round_ = 0; round_ < 2; round_++) {
    progress(`MQTT round ${round_ + 1}: counting subscriber, ${count} messages`);
    const ceiling = await countingSubscriber(settings);
    result.ceiling.push(await measure(settings, ceiling, count, topics));
    await ceiling.stop();

    progress(`MQTT round ${round_ + 1}: Weft observer, ${count} messages`);
    const weft = await weftSubscriber(settings);
    result.weft.push(await measure(settings, weft, count, topics));
    await weft.stop();
  }
  const best = (runs: { messagesPerSecond: number }[]): number =>
    Math.max(...runs.map((run) => run.messagesPerSecond));
  result.ratio = round(best(result.weft) / best(result.ceiling));
  return result;
}
