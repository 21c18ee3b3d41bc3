import { TopicTree } from './topic-tree';

describe('TopicTree schema sampling', () => {
  const payload = Buffer.from('{"temperature":21.5}');

  it('infers every message of a quiet topic', () => {
    const tree = new TopicTree();
    for (let index = 0; index < 30; index++) {
      tree.record({
        topic: 'room/state',
        payload,
        retain: false,
        qos: 0,
        receivedAt: 1_000 + index * 1_000,
      });
    }

    const record = tree.get('room/state')!;
    expect(record.messageCount).toBe(30);
    expect(record.schemaMessageCount).toBe(30);
  });

  it('samples a busy topic after ten messages', () => {
    const tree = new TopicTree();
    // 100 messages, 10 ms apart: the first 10 are inferred, then one every 200 ms (at 290, 490, 690 and 890 ms).
    for (let index = 0; index < 100; index++) {
      tree.record({
        topic: 'line1/vibration',
        payload,
        retain: false,
        qos: 0,
        receivedAt: 1_000 + index * 10,
      });
    }

    const record = tree.get('line1/vibration')!;
    expect(record.messageCount).toBe(100);
    expect(record.schemaMessageCount).toBe(14);
  });

  it('stops inferring when the property budget is spent', () => {
    const tree = new TopicTree({ maxTotalPaths: 5 });
    const threeKeys = Buffer.from('{"a":1,"b":2,"c":3}');

    for (const topic of ['site/one', 'site/two', 'site/three']) {
      tree.record({ topic, payload: threeKeys, retain: false, qos: 0, receivedAt: 1_000 });
    }

    expect(tree.totalPaths).toBe(6);
    expect(tree.schemaBudgetSkips).toBe(1);
    expect(tree.get('site/three')!.messageCount).toBe(1);
  });
});
