/**
 * Publisher for the MQTT benchmark, run as its own process so it does not
 * share an event loop with the subscriber under test. Publishes `count`
 * real-format payloads (from the corpus files) at QoS 0 as fast as the
 * connection takes them, spread over `topics` topics, then prints the
 * elapsed milliseconds as JSON on stdout.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import mqtt from 'mqtt';

import { readCorpusFile } from '../src/harvest/mqtt/replay';

async function main(): Promise<void> {
  const url = process.env.BENCH_MQTT_URL ?? '';
  const count = Number(process.env.BENCH_MQTT_COUNT ?? '100000');
  const topics = Number(process.env.BENCH_MQTT_TOPICS ?? '1000');
  const corpus = process.env.BENCH_MQTT_CORPUS ?? '';
  const payloads = readdirSync(corpus)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) => readCorpusFile(path.join(corpus, file)))
    .map((message) => message.payload)
    .filter((payload) => payload.length > 0);

  const client = await mqtt.connectAsync(url, {
    username: process.env.BENCH_MQTT_USERNAME,
    password: process.env.BENCH_MQTT_PASSWORD,
    clientId: `weft-bench-publisher-${process.pid}`,
  });
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index++) {
    const payload = payloads[index % payloads.length] as Buffer | string;
    client.publish(`bench/device-${index % topics}/state`, payload, { qos: 0 });
    // Yield to the socket every 500 messages, so the write buffer drains instead of growing without bound.
    if (index % 500 === 499) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await client.endAsync();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ published: count, elapsedMs }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `publisher failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
