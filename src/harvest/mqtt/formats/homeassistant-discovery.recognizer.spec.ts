import fc from 'fast-check';

import {
  parseDiscoveryConfig,
  splitDiscoveryTopic,
  valueTemplatePath,
} from './homeassistant-discovery.recognizer';
import type { DiscoveryTopic } from './homeassistant-discovery.recognizer';

function parse(topic: string, config: unknown) {
  const split = splitDiscoveryTopic(topic.split('/'))!;
  return parseDiscoveryConfig(topic, split, Buffer.from(JSON.stringify(config)));
}

describe('splitDiscoveryTopic', () => {
  it.each<[string, DiscoveryTopic | undefined]>([
    [
      'homeassistant/sensor/node1/temp/config',
      {
        prefix: 'homeassistant',
        component: 'sensor',
        nodeId: 'node1',
        objectId: 'temp',
        certain: true,
      },
    ],
    [
      'homeassistant/sensor/temp/config',
      { prefix: 'homeassistant', component: 'sensor', objectId: 'temp', certain: true },
    ],
    [
      'site/a/homeassistant/light/kitchen/config',
      { prefix: 'site/a/homeassistant', component: 'light', objectId: 'kitchen', certain: true },
    ],
    [
      'ha/switch/node/plug/config',
      { prefix: 'ha', component: 'switch', nodeId: 'node', objectId: 'plug', certain: false },
    ],
    [
      'ha/device/node/config',
      { prefix: 'ha', component: 'device', objectId: 'node', certain: false },
    ],
    ['homeassistant/sensor/temp/state', undefined],
    ['devices/thing/config', undefined],
    ['a/b/c/config', undefined],
  ])('splits %s', (topic, expected) => {
    expect(splitDiscoveryTopic(topic.split('/'))).toEqual(expected);
  });
});

describe('valueTemplatePath', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, '$'],
    ['{{ value }}', '$'],
    ['{{ value | float }}', '$'],
    ['{{ value_json.temperature }}', 'temperature'],
    ['{{value_json.temperature|round(1)}}', 'temperature'],
    ['{{ value_json["temperature"] }}', 'temperature'],
    ["{{value_json['ENERGY']['TotalStartTime']}}", 'ENERGY.TotalStartTime'],
    ['{{value_json["integral"].value}}', 'integral.value'],
    ['{{ value_json.Total[0] }}', 'Total[]'],
    ['{{ value_json["a.b"] }}', 'a\\.b'],
    ['{{ value_json.x if value_json.x is defined else 0 }}', undefined],
    ['{% if value == "1" %}on{% endif %}', undefined],
  ])('reads %j as %j', (template, path) => {
    expect(valueTemplatePath(template)).toBe(path);
  });
});

describe('parseDiscoveryConfig', () => {
  it('expands abbreviations and the ~ base topic', () => {
    const config = parse('homeassistant/sensor/plug1/power/config', {
      '~': 'tasmota/plug1',
      name: 'Plug power',
      stat_t: '~/tele/SENSOR',
      avty_t: '~/tele/LWT',
      json_attr_t: 'attrs/~',
      unit_of_meas: 'W',
      dev_cla: 'power',
      val_tpl: '{{ value_json.ENERGY.Power }}',
      uniq_id: 'plug1_power',
      dev: {
        ids: ['plug1'],
        mf: 'Itead',
        mdl: 'Sonoff S31',
        sw: '13.1.0',
        sa: 'Kitchen',
        cns: [['mac', '00:00:5e:00:53:10']],
      },
      o: { name: 'Tasmota', sw: '13.1.0' },
    });

    expect(config).toEqual({
      status: 'config',
      entities: [
        {
          configTopic: 'homeassistant/sensor/plug1/power/config',
          component: 'sensor',
          objectId: 'power',
          uniqueId: 'plug1_power',
          name: 'Plug power',
          stateTopic: 'tasmota/plug1/tele/SENSOR',
          valueTemplate: '{{ value_json.ENERGY.Power }}',
          valuePath: 'ENERGY.Power',
          unitText: 'W',
          deviceClass: 'power',
          availabilityTopics: ['tasmota/plug1/tele/LWT'],
          jsonAttributesTopic: 'attrs/tasmota/plug1',
          device: {
            manufacturer: 'Itead',
            model: 'Sonoff S31',
            identifiers: ['plug1', 'mac:00:00:5e:00:53:10'],
            softwareVersion: '13.1.0',
          },
          suggestedArea: 'Kitchen',
          origin: 'Tasmota',
        },
      ],
    });
  });

  it('reads one entity per component of a device configuration', () => {
    const config = parse('homeassistant/device/node7/config', {
      dev: {
        ids: 'node7',
        name: 'Weather station',
        mf: 'Example',
        mdl_id: 'WS-1',
        mdl: 'Weather station one',
      },
      o: { name: 'bridge' },
      stat_t: 'ws/node7/state',
      cmps: {
        t: {
          p: 'sensor',
          unit_of_meas: '°C',
          dev_cla: 'temperature',
          val_tpl: '{{ value_json.t }}',
          uniq_id: 'n7t',
        },
        h: {
          p: 'sensor',
          unit_of_meas: '%',
          dev_cla: 'humidity',
          val_tpl: '{{ value_json.h }}',
          uniq_id: 'n7h',
          stat_t: 'ws/node7/h',
        },
      },
    });

    expect(config.status).toBe('config');
    const entities = config.status === 'config' ? config.entities : [];
    expect(
      entities.map((entity) => [
        entity.component,
        entity.objectId,
        entity.stateTopic,
        entity.valuePath,
        entity.unitText,
      ]),
    ).toEqual([
      ['sensor', 'node7/t', 'ws/node7/state', 't', '°C'],
      ['sensor', 'node7/h', 'ws/node7/h', 'h', '%'],
    ]);
    expect(entities[0].device).toEqual({
      manufacturer: 'Example',
      model: 'WS-1',
      name: 'Weather station',
      identifiers: ['node7'],
    });
    expect(entities[0].modelName).toBe('Weather station one');
  });

  it('treats a zero-length payload as a deletion', () => {
    const topic = splitDiscoveryTopic(['homeassistant', 'sensor', 'x', 'config'])!;

    expect(parseDiscoveryConfig('homeassistant/sensor/x/config', topic, Buffer.alloc(0))).toEqual({
      status: 'deleted',
    });
  });

  it.each([
    ['not json', 'the payload is not JSON in UTF-8'],
    ['[1]', 'the payload is an array, not an object'],
    ['null', 'the payload is null, not an object'],
    ['42', 'the payload is a JSON number, not an object'],
  ])('rejects %j', (payload, reason) => {
    const topic = splitDiscoveryTopic(['homeassistant', 'sensor', 'x', 'config'])!;
    const config = parseDiscoveryConfig(
      'homeassistant/sensor/x/config',
      topic,
      Buffer.from(payload),
    );

    expect(config.status).toBe('invalid');
    expect(config.status === 'invalid' ? config.reason : '').toContain(reason);
  });

  it('rejects bytes that are not UTF-8', () => {
    const topic = splitDiscoveryTopic(['homeassistant', 'sensor', 'x', 'config'])!;

    const config = parseDiscoveryConfig(
      'homeassistant/sensor/x/config',
      topic,
      Uint8Array.from([0x7b, 0xff, 0x7d]),
    );

    expect(config.status).toBe('invalid');
  });
});

describe('parseDiscoveryConfig on random input', () => {
  it('never throws', () => {
    const topic = splitDiscoveryTopic(['homeassistant', 'sensor', 'x', 'config'])!;
    const payloads = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.json().map((text) => Buffer.from(text)),
      fc
        .dictionary(
          fc.constantFrom(
            'stat_t',
            '~',
            'dev',
            'cmps',
            'avty',
            'val_tpl',
            'unit_of_meas',
            'name',
            'device',
          ),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map((config) => Buffer.from(JSON.stringify(config))),
    );

    fc.assert(
      fc.property(payloads, (payload) => {
        const config = parseDiscoveryConfig('homeassistant/sensor/x/config', topic, payload);
        expect(['config', 'deleted', 'invalid']).toContain(config.status);
      }),
      { numRuns: 1_000 },
    );
  });
});
