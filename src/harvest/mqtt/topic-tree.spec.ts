import { brokerUrlWithoutCredentials, topicAccessUrl } from './broker-url';
import { buildMqttDatasets } from './mqtt-dataset.builder';
import { topicFilterError, topicMatchesFilter } from './topic-filter';
import { TopicTree } from './topic-tree';
import type { ObservedMessage } from './topic-tree';

const T0 = Date.UTC(2025, 0, 1);

function message(
  topic: string,
  payload: string | Uint8Array,
  overrides: Partial<ObservedMessage> = {},
): ObservedMessage {
  return {
    topic,
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    retain: false,
    qos: 0,
    receivedAt: T0,
    ...overrides,
  };
}

function build(tree: TopicTree, now = T0 + 60_000) {
  return buildMqttDatasets(tree, {
    brokerUrl: 'mqtts://broker.invalid:8883',
    topicFilters: ['#'],
    observingSince: T0,
    now,
  });
}

describe('TopicTree', () => {
  it('counts messages, QoS levels, sizes and first and last seen', () => {
    const tree = new TopicTree();
    tree.beginSubscription();
    tree.record(message('a/b', '{"v":1}', { qos: 1, receivedAt: T0 + 1_000 }));
    tree.record(message('a/b', '{"v":22}', { qos: 2, receivedAt: T0 + 5_000 }));

    const record = tree.get('a/b')!;

    expect(record.messageCount).toBe(2);
    expect([...record.qosLevels]).toEqual([1, 2]);
    expect(record.payloadBytesTotal).toBe(15);
    expect(record.payloadBytesMin).toBe(7);
    expect(record.payloadBytesMax).toBe(8);
    expect(record.firstSeen).toBe(T0 + 1_000);
    expect(record.lastSeen).toBe(T0 + 5_000);
  });

  it('takes the retained flag from the first message after each subscription', () => {
    const tree = new TopicTree();
    tree.beginSubscription();
    tree.record(message('dev/status', 'online', { retain: true }));
    tree.record(message('dev/status', 'offline'));

    expect(tree.get('dev/status')!.retained).toBe(true);

    // After a reconnection the broker no longer stores a retained message for the topic.
    tree.beginSubscription();
    tree.record(message('dev/status', 'online'));
    expect(tree.get('dev/status')!.retained).toBe(false);
  });

  it('clears the retained flag on a retained deletion and counts it', () => {
    const tree = new TopicTree();
    tree.beginSubscription();
    tree.record(message('dev/config', '{"a":1}', { retain: true }));
    tree.record(message('dev/config', '', { retain: true }));

    const record = tree.get('dev/config')!;
    expect(record.retained).toBe(false);
    expect(record.retainedDeletions).toBe(1);
    expect(record.schema.summarize().payloadKinds).toEqual({ 'json-object': 1, empty: 1 });
  });

  it('keeps default limits for undefined options', () => {
    const tree = new TopicTree({ maxTopics: undefined, schema: { maxPaths: undefined } });

    expect(tree.limits.maxTopics).toBe(20_000);
    tree.record(
      message(
        'a',
        JSON.stringify(
          Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`k${index}`, index])),
        ),
      ),
    );
    expect(tree.get('a')!.schema.propertyCount).toBe(500);
  });

  it('drops messages on topics beyond the limit and reports them', () => {
    const tree = new TopicTree({ maxTopics: 2 });
    for (const topic of ['t/1', 't/2', 't/3', 't/4', 't/3']) {
      tree.record(message(topic, '1'));
    }

    expect(tree.size).toBe(2);
    expect(tree.droppedMessages).toBe(3);
    expect(build(tree).issues).toEqual([
      {
        severity: 'warning',
        subject: 'mqtts://broker.invalid:8883',
        message:
          '3 messages on topics beyond the limit of 2 topics were dropped (for example t/3, t/4); raise maxTopics or narrow the topic filters',
      },
    ]);
  });

  it('learns a custom Zigbee2MQTT base topic from its device list', () => {
    const tree = new TopicTree();
    tree.record(
      message(
        'zb/bridge/devices',
        JSON.stringify([{ friendly_name: 'lamp', definition: { model: 'M1', vendor: 'V' } }]),
      ),
    );
    tree.record(message('zb/lamp', '{"state":"ON"}'));

    const datasets = build(tree).datasets;

    expect(datasets.map((dataset) => [dataset.key, dataset.format, dataset.device])).toEqual([
      ['zb/lamp', 'zigbee2mqtt', { manufacturer: 'V', model: 'M1', name: 'lamp' }],
    ]);
  });

  it('does not take any topic named bridge/devices for a bridge', () => {
    const tree = new TopicTree();
    tree.record(message('shop/bridge/devices', '{"count":3}'));

    expect(tree.zigbeeBridges.size).toBe(0);
    expect(build(tree).datasets.map((dataset) => dataset.key)).toEqual(['shop/bridge/devices']);
  });
});

describe('buildMqttDatasets', () => {
  it('treats a __proto__ key as an ordinary key', () => {
    const tree = new TopicTree();
    tree.record(message('odd/keys', '{"__proto__":{"x":1},"a":"b"}'));

    const [dataset] = build(tree).datasets;

    expect(dataset.properties.map((property) => property.name)).toEqual(['__proto__.x', 'a']);
    expect(Object.getPrototypeOf(dataset.details)).toBe(Object.prototype);
  });

  it('flags bytes that are not UTF-8', () => {
    const tree = new TopicTree();
    tree.record(message('cam/raw', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])));

    const [dataset] = build(tree).datasets;

    expect(dataset.format).toBe('binary');
    expect(dataset.properties).toEqual([
      { name: '$', datatypes: ['xsd:base64Binary'], observedCount: 1 },
    ]);
    expect(dataset.details).toMatchObject({ nonUtf8: true, payloadKinds: { binary: 1 } });
    expect(dataset.distributions[0]).toMatchObject({
      mediaType: 'application/octet-stream',
      format: 'binary',
    });
  });

  it('computes the rate from live messages over the observation window', () => {
    const tree = new TopicTree();
    tree.beginSubscription();
    tree.record(message('m/1', '1', { retain: true }));
    for (let index = 0; index < 30; index += 1) {
      tree.record(message('m/1', '2', { receivedAt: T0 + index * 1_000 }));
    }

    const [dataset] = build(tree, T0 + 120_000).datasets;

    expect(dataset.details).toMatchObject({
      messageCount: 31,
      retainedMessageCount: 1,
      messagesPerMinute: 15,
      retained: true,
    });
    expect(dataset.temporal).toEqual({
      start: '2025-01-01T00:00:00.000Z',
      end: '2025-01-01T00:00:29.000Z',
    });
  });

  it('applies discovery to a topic of unknown format and names its availability topic', () => {
    const tree = new TopicTree();
    const config = {
      name: 'Boiler temperature',
      state_topic: 'boiler/temp',
      availability_topic: 'boiler/alive',
      unit_of_measurement: '°C',
      device: { name: 'Boiler', manufacturer: 'Acme', suggested_area: 'Cellar' },
    };
    tree.record(
      message('homeassistant/sensor/boiler/temp/config', JSON.stringify(config), { retain: true }),
    );
    tree.record(message('boiler/temp', '61.5'));
    tree.record(message('boiler/alive', 'yes'));

    const datasets = build(tree).datasets;

    expect(
      datasets.map((dataset) => [
        dataset.key,
        dataset.title,
        dataset.format,
        dataset.details.role,
        dataset.place,
      ]),
    ).toEqual([
      ['boiler/alive', 'Boiler availability', 'plain', 'availability', 'Cellar'],
      ['boiler/temp', 'Boiler temperature', 'homeassistant-discovery', 'state', 'Cellar'],
    ]);
    expect(datasets[1].properties).toEqual([
      {
        name: '$',
        datatypes: ['xsd:double'],
        observedCount: 1,
        minimum: 61.5,
        maximum: 61.5,
        unit: 'Cel',
        unitSourceText: '°C',
        quantityKind: 'Temperature',
        label: 'Boiler temperature',
      },
    ]);
  });

  it('declares only topics that the configured filters cover', () => {
    const tree = new TopicTree();
    tree.record(
      message('homeassistant/sensor/x/config', JSON.stringify({ state_topic: 'other/x' })),
    );

    const datasets = buildMqttDatasets(tree, {
      brokerUrl: 'mqtt://broker.invalid',
      topicFilters: ['homeassistant/#'],
      observingSince: T0,
      now: T0,
    }).datasets;

    expect(datasets).toEqual([]);
  });
});

describe('topic filters', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/+', true],
    ['a/b/c', 'a/+', false],
    ['a/b/c', 'a/#', true],
    ['a', 'a/#', true],
    ['$SYS/broker', '#', false],
    ['$SYS/broker', '+/broker', false],
    ['$SYS/broker', '$SYS/#', true],
    ['/x', '+/x', true],
  ])('%s matches %s: %s', (topic, filter, matches) => {
    expect(topicMatchesFilter(topic, filter)).toBe(matches);
  });

  it.each([
    ['a/#', undefined],
    ['+/+/#', undefined],
    ['#', undefined],
    ['', 'a topic filter must not be empty (MQTT 4.7.3)'],
    ['a/#/b', "'#' must be a whole level and the last one (MQTT 4.7.1.2)"],
    ['a#', "'#' must be a whole level and the last one (MQTT 4.7.1.2)"],
    ['a/b+', "'+' must be a whole level (MQTT 4.7.1.3)"],
  ])('checks %j', (filter, error) => {
    expect(topicFilterError(filter)).toBe(error);
  });
});

describe('broker URLs', () => {
  it('removes credentials, query and trailing slash', () => {
    expect(brokerUrlWithoutCredentials('mqtts://user:secret@127.0.0.1:8883/')).toBe(
      'mqtts://127.0.0.1:8883',
    );
    expect(brokerUrlWithoutCredentials('ws://u:p@broker.invalid:9001/mqtt?x=1')).toBe(
      'ws://broker.invalid:9001/mqtt',
    );
  });

  it('rejects other schemes without printing the password', () => {
    expect(() => brokerUrlWithoutCredentials('http://user:secret@host')).toThrow(
      'MQTT broker URL "http://host" has the scheme http:; use mqtt:, mqtts:, ws: or wss:',
    );
    expect(() => brokerUrlWithoutCredentials('no url')).toThrow('is not a valid URL');
  });

  it('percent-encodes each topic level', () => {
    expect(topicAccessUrl('mqtt://h:1883', 'zigbee2mqtt/détecteur pir/#1')).toBe(
      'mqtt://h:1883/zigbee2mqtt/d%C3%A9tecteur%20pir/%231',
    );
  });
});
