import { PayloadSchema } from '../payload-schema';
import { collectEsphomeNodes, recognizeEsphome, splitEsphomeTopic } from './esphome.recognizer';
import { EMPTY_CONTEXT } from './format.types';
import type { TopicView } from './format.types';
import { recognizeGeneric, recognizeTopic } from './recognize-topic';
import { collectShellyDevices, recognizeShelly, shellyDevice } from './shelly.recognizer';
import { recognizeTasmota, splitTasmotaTopic } from './tasmota.recognizer';

function view(topic: string, payloads: Array<string | Uint8Array> = []): TopicView {
  const schema = new PayloadSchema();
  for (const payload of payloads) {
    schema.observe(typeof payload === 'string' ? Buffer.from(payload) : payload);
  }
  return { topic, levels: topic.split('/'), schema: schema.summarize() };
}

describe('splitTasmotaTopic', () => {
  it.each([
    ['tele/plug/SENSOR', { prefix: 'tele', deviceTopic: 'plug', message: 'SENSOR' }],
    ['stat/plug/POWER2', { prefix: 'stat', deviceTopic: 'plug', message: 'POWER2' }],
    ['cmnd/plug/POWER', { prefix: 'cmnd', deviceTopic: 'plug', message: 'POWER' }],
    ['plug/tele/STATE', { prefix: 'tele', deviceTopic: 'plug', message: 'STATE' }],
    ['site/tele/a/b/LWT', { prefix: 'tele', deviceTopic: 'a/b', message: 'LWT' }],
    ['tele/SENSOR', undefined],
    ['tele/plug/sensor', undefined],
    ['home/plug/SENSOR', undefined],
  ])('splits %s', (topic, expected) => {
    expect(splitTasmotaTopic(topic.split('/'))).toEqual(expected);
  });
});

describe('recognizeTasmota', () => {
  it('leaves a temperature without TempUnit without a unit, and reads PressureUnit', () => {
    const recognition = recognizeTasmota(
      view('tele/bme/SENSOR', [
        '{"BME280":{"Temperature":21.5,"Pressure":1013.2},"PressureUnit":"hPa"}',
      ]),
    );

    expect(recognition?.hints).toEqual([
      { path: 'BME280.Pressure', unitText: 'hPa', unitOrigin: 'payload-sibling' },
    ]);
  });

  it('gives no unit when TempUnit changed between messages', () => {
    const recognition = recognizeTasmota(
      view('tele/t/SENSOR', [
        '{"DS18B20":{"Temperature":20},"TempUnit":"C"}',
        '{"DS18B20":{"Temperature":68},"TempUnit":"F"}',
      ]),
    );

    expect(recognition?.hints).toEqual([]);
  });

  it('marks the last will as availability and cmnd topics as commands', () => {
    expect(recognizeTasmota(view('tele/plug/LWT', ['Online']))?.role).toBe('availability');
    expect(recognizeTasmota(view('cmnd/plug/POWER', ['TOGGLE']))?.role).toBe('command');
  });
});

describe('Shelly recognition', () => {
  const notification =
    '{"src":"shellypro3em-0000000000aa","method":"NotifyStatus","params":{"ts":1.0,"em:0":{"act_power":12.5}}}';

  it('derives the model from the device id', () => {
    expect(shellyDevice('shellyplus1pm-000000000002')).toEqual({
      manufacturer: 'Shelly',
      model: 'shellyplus1pm',
      name: 'shellyplus1pm-000000000002',
      identifiers: ['shellyplus1pm-000000000002'],
    });
    expect(shellyDevice('custom').model).toBeUndefined();
  });

  it('finds devices by their notifications and component status topics', () => {
    const devices = collectShellyDevices([
      view('pro3em/events/rpc', [notification]),
      view('other/status/switch:1', ['{"id":1}']),
      view('not/events/rpc', ['{"method":"x"}']),
    ]);

    expect([...devices]).toEqual([
      ['pro3em', 'shellypro3em-0000000000aa'],
      ['other', undefined],
    ]);
  });

  it('ignores a status topic of an unknown prefix without a component id', () => {
    expect(recognizeShelly(view('x/status/sys', ['{"uptime":1}']), EMPTY_CONTEXT)).toBeUndefined();
  });

  it('gives power keys their units', () => {
    const recognition = recognizeShelly(view('pro3em/events/rpc', [notification]), EMPTY_CONTEXT);

    expect(recognition?.hints).toEqual([
      {
        path: 'params.ts',
        description:
          'Seconds since the Unix epoch, or since boot while the device has not set its clock yet.',
      },
      {
        path: 'params.em:0.act_power',
        unitText: 'W',
        unitOrigin: 'format-convention',
        quantityKind: undefined,
      },
    ]);
  });
});

describe('ESPHome recognition', () => {
  it.each([
    [
      'node/sensor/temp/state',
      { node: 'node', component: 'sensor', objectId: 'temp', channel: 'state' },
    ],
    [
      'a/b/switch/relay/command',
      { node: 'a/b', component: 'switch', objectId: 'relay', channel: 'command' },
    ],
    ['node/unknown/temp/state', undefined],
    ['sensor/temp/state', undefined],
  ])('splits %s', (topic, expected) => {
    expect(splitEsphomeTopic(topic.split('/'))).toEqual(expected);
  });

  it('knows a node status only beside its state topics', () => {
    const nodes = collectEsphomeNodes([view('node/sensor/temp/state', ['21.5'])]);
    const context = { ...EMPTY_CONTEXT, esphomeNodes: nodes };

    expect(recognizeEsphome(view('node/status', ['online']), context)?.role).toBe('availability');
    expect(recognizeEsphome(view('other/status', ['online']), context)).toBeUndefined();
  });
});

describe('recognizeGeneric', () => {
  it('describes JSON, text and bytes that are not UTF-8', () => {
    expect(recognizeGeneric(view('a/b', ['{"x":1}'])).format).toBe('json');
    expect(recognizeGeneric(view('a/b', ['12.5'])).format).toBe('plain');
    expect(recognizeGeneric(view('a/b', [Uint8Array.from([0xff, 0x00])])).format).toBe('binary');
  });

  it('spots availability topics by name and payload', () => {
    expect(recognizeGeneric(view('dev/status', ['offline'])).role).toBe('availability');
    expect(recognizeGeneric(view('dev/online', ['false'])).role).toBe('availability');
    expect(recognizeGeneric(view('dev/state', ['{"state":"online"}'])).role).toBe('availability');
    expect(recognizeGeneric(view('dev/status', ['{"uptime":3}'])).role).toBe('state');
    expect(recognizeGeneric(view('dev/temperature', ['online'])).role).toBe('state');
  });

  it('is the fallback of recognizeTopic', () => {
    expect(recognizeTopic(view('lab/bench/voltage', ['3.3']), EMPTY_CONTEXT)).toEqual({
      format: 'plain',
      role: 'state',
      hints: [],
      keywords: [],
    });
  });
});
