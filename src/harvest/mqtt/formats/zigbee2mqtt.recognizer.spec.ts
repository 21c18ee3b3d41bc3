import { PayloadSchema } from '../payload-schema';
import { EMPTY_CONTEXT } from './format.types';
import type { TopicView } from './format.types';
import {
  parseBridgeDevices,
  parseBridgeEventDevice,
  parseBridgeInfo,
  recognizeZigbee2mqtt,
  splitZigbeeBridgeTopic,
  splitZigbeeTopic,
} from './zigbee2mqtt.recognizer';

function view(topic: string, payloads: string[] = []): TopicView {
  const schema = new PayloadSchema();
  for (const payload of payloads) {
    schema.observe(Buffer.from(payload));
  }
  return { topic, levels: topic.split('/'), schema: schema.summarize() };
}

describe('splitZigbeeTopic', () => {
  it('finds the default base topic, also under a prefix', () => {
    expect(splitZigbeeTopic('zigbee2mqtt/kitchen/lamp', new Set())).toEqual({
      baseTopic: 'zigbee2mqtt',
      rest: ['kitchen', 'lamp'],
    });
    expect(splitZigbeeTopic('site/zigbee2mqtt/lamp', new Set())).toEqual({
      baseTopic: 'site/zigbee2mqtt',
      rest: ['lamp'],
    });
  });

  it('prefers the longest known custom base topic', () => {
    const bases = new Set(['zb', 'zb/floor1']);

    expect(splitZigbeeTopic('zb/floor1/lamp', bases)).toEqual({
      baseTopic: 'zb/floor1',
      rest: ['lamp'],
    });
  });

  it('ignores other topics', () => {
    expect(splitZigbeeTopic('tele/plug/SENSOR', new Set())).toBeUndefined();
    expect(splitZigbeeTopic('zigbee2mqtt', new Set())).toBeUndefined();
  });
});

describe('splitZigbeeBridgeTopic', () => {
  it('finds bridge subtopics', () => {
    expect(splitZigbeeBridgeTopic('zigbee2mqtt/bridge/response/permit_join', new Set())).toEqual({
      baseTopic: 'zigbee2mqtt',
      subtopic: 'response/permit_join',
    });
  });

  it('offers custom bases for list and info', () => {
    expect(splitZigbeeBridgeTopic('zb/bridge/devices', new Set())).toEqual({
      baseTopic: 'zb',
      subtopic: 'devices',
    });
    expect(splitZigbeeBridgeTopic('zb/bridge/state', new Set())).toBeUndefined();
  });
});

describe('recognizeZigbee2mqtt', () => {
  it('recognises a friendly name with slashes', () => {
    const recognition = recognizeZigbee2mqtt(
      view('zigbee2mqtt/kitchen/lamp', ['{"state":"ON"}']),
      EMPTY_CONTEXT,
    );

    expect(recognition).toEqual({
      format: 'zigbee2mqtt',
      role: 'state',
      title: 'kitchen/lamp',
      deviceName: 'kitchen/lamp',
      device: undefined,
      description: undefined,
      hints: [],
      keywords: [],
    });
  });

  it('recognises availability and command topics', () => {
    expect(recognizeZigbee2mqtt(view('zigbee2mqtt/lamp/availability'), EMPTY_CONTEXT)?.role).toBe(
      'availability',
    );
    expect(recognizeZigbee2mqtt(view('zigbee2mqtt/lamp/set'), EMPTY_CONTEXT)?.role).toBe('command');
    expect(recognizeZigbee2mqtt(view('zigbee2mqtt/lamp/set/brightness'), EMPTY_CONTEXT)?.role).toBe(
      'command',
    );
    expect(recognizeZigbee2mqtt(view('zigbee2mqtt/bridge/state'), EMPTY_CONTEXT)?.role).toBe(
      'bridge',
    );
  });

  it('uses a custom base topic from the context', () => {
    const context = { ...EMPTY_CONTEXT, zigbeeBaseTopics: new Set(['zb']) };

    expect(recognizeZigbee2mqtt(view('zb/lamp'), context)?.title).toBe('lamp');
    expect(recognizeZigbee2mqtt(view('zb/lamp'), EMPTY_CONTEXT)).toBeUndefined();
  });
});

describe('parseBridgeDevices', () => {
  it('collects units from generic, specific and composite features', () => {
    const devices = parseBridgeDevices([
      {
        friendly_name: 'lamp',
        ieee_address: '0x01',
        software_build_id: '2.1',
        definition: {
          model: 'LED1',
          vendor: 'Example',
          exposes: [
            {
              type: 'light',
              features: [
                { type: 'binary', property: 'state', label: 'State' },
                { type: 'numeric', property: 'color_temp', unit: 'mired' },
                {
                  type: 'composite',
                  property: 'color',
                  features: [{ type: 'numeric', property: 'x', label: 'X' }],
                },
              ],
            },
            { type: 'numeric', property: 'power', unit: 'W', description: 'Instantaneous power' },
            { type: 'enum', property: 'effect' },
          ],
        },
      },
      { ieee_address: '0x02' },
      'not a device',
    ]);

    expect(devices).toEqual([
      {
        friendlyName: 'lamp',
        ieeeAddress: '0x01',
        model: 'LED1',
        vendor: 'Example',
        softwareBuildId: '2.1',
        exposes: [
          { path: 'state', label: 'State' },
          { path: 'color_temp', unitText: 'mired', unitOrigin: 'bridge-exposes' },
          { path: 'color.x', label: 'X' },
          {
            path: 'power',
            unitText: 'W',
            unitOrigin: 'bridge-exposes',
            description: 'Instantaneous power',
          },
        ],
      },
    ]);
  });

  it('returns nothing for a payload that is not a list', () => {
    expect(parseBridgeDevices({ devices: [] })).toEqual([]);
  });
});

describe('parseBridgeEventDevice', () => {
  it('reads only successful interviews', () => {
    const event = (status: string) => ({
      type: 'device_interview',
      data: {
        friendly_name: 'bulb',
        ieee_address: '0x03',
        status,
        definition: { model: 'M', vendor: 'V' },
      },
    });

    expect(parseBridgeEventDevice(event('successful'))).toMatchObject({
      friendlyName: 'bulb',
      model: 'M',
      vendor: 'V',
    });
    expect(parseBridgeEventDevice(event('started'))).toBeUndefined();
    expect(parseBridgeEventDevice({ type: 'device_joined', data: {} })).toBeUndefined();
  });
});

describe('parseBridgeInfo', () => {
  it('needs a version and a coordinator', () => {
    expect(parseBridgeInfo({ version: '2.0.0', coordinator: { type: 'zStack3x0' } })).toEqual({
      version: '2.0.0',
      coordinatorType: 'zStack3x0',
    });
    expect(parseBridgeInfo({ version: '2.0.0' })).toBeUndefined();
  });
});
