import type { JsonRecord } from '../common/json';
import type { MemberMetadata } from './quality-checks';
import { checkMember, worstStatus } from './quality-checks';
import type { ProductContract, QualityRules } from './product-contract.types';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const PID = 'https://w3id.org/site/b5k2mnp7qx';

const CONTRACT: ProductContract = {
  fields: [
    {
      name: 'temperature',
      dataset: null,
      datatype: 'xsd:double',
      unit: 'Cel',
      minimum: 0,
      maximum: 40,
    },
  ],
  samplingIntervalSeconds: 60,
};
const RULES: QualityRules = {
  maxHarvestAgeSeconds: 600,
  minMessagesPerMinute: 0.5,
  maxMessagesPerMinute: 10,
};

function member(overrides: Partial<MemberMetadata['dataset']> = {}, minimum = 18, maximum = 24) {
  return {
    dataset: {
      pid: PID,
      status: 'active' as const,
      details: { messagesPerMinute: 1 },
      temporalEnd: new Date('2026-12-01T11:59:30.000Z'),
      lastHarvestedAt: new Date('2026-12-01T11:58:00.000Z'),
      ...overrides,
    },
    properties: [{ name: 'temperature', unit: 'Cel', minimum, maximum }],
    openBreaches: [],
  };
}

describe('quality checks', () => {
  it('healthy dataset passes every check', () => {
    const results = checkMember(CONTRACT, RULES, member(), NOW);

    expect(results).toEqual([
      {
        check: 'contract',
        datasetPid: PID,
        field: null,
        status: 'pass',
        evidence: 'no open contract breach',
      },
      {
        check: 'range',
        datasetPid: PID,
        field: 'temperature',
        status: 'pass',
        evidence: 'observed 18 to 24 Cel; contract 0 to 40',
      },
      {
        check: 'rate',
        datasetPid: PID,
        field: null,
        status: 'pass',
        evidence: '1 messages per minute; limits 0.5 to 10 per minute',
      },
      {
        check: 'gap',
        datasetPid: PID,
        field: null,
        status: 'pass',
        evidence: 'last observation 2026-12-01T11:59:30.000Z, 30 s ago; sampling interval 60 s',
      },
      {
        check: 'freshness',
        datasetPid: PID,
        field: null,
        status: 'pass',
        evidence: 'last harvested 2026-12-01T11:58:00.000Z, 120 s ago; limit 600 s',
      },
    ]);
  });

  it('range outside the contract fails', () => {
    const range = checkMember(CONTRACT, RULES, member({}, -3, 24), NOW).find(
      (result) => result.check === 'range',
    );

    expect(range?.status).toBe('fail');
    expect(range?.evidence).toBe('observed -3 to 24 Cel; contract 0 to 40');
  });

  it('range without observations is unknown', () => {
    const input: MemberMetadata = {
      ...member(),
      properties: [{ name: 'temperature', unit: 'Cel', minimum: null, maximum: null }],
    };
    const range = checkMember(CONTRACT, RULES, input, NOW).find(
      (result) => result.check === 'range',
    );

    expect(range?.status).toBe('unknown');
    expect(range?.evidence).toBe('no observed range recorded; contract 0 to 40');
  });

  it('rate below minimum fails, above maximum warns, absent is unknown', () => {
    const rateOf = (details: JsonRecord) =>
      checkMember(CONTRACT, RULES, member({ details }), NOW).find((r) => r.check === 'rate')
        ?.status;

    expect(rateOf({ messagesPerMinute: 0.1 })).toBe('fail');
    expect(rateOf({ messagesPerMinute: 12 })).toBe('warn');
    expect(rateOf({})).toBe('unknown');
  });

  it('gap grades by sampling intervals', () => {
    const gapAt = (iso: string | null) =>
      checkMember(
        CONTRACT,
        RULES,
        member({ temporalEnd: iso === null ? null : new Date(iso) }),
        NOW,
      ).find((r) => r.check === 'gap')?.status;

    // 120 s is two intervals (pass), 600 s ten (warn), 601 s beyond (fail).
    expect(gapAt('2026-12-01T11:58:00.000Z')).toBe('pass');
    expect(gapAt('2026-12-01T11:50:00.000Z')).toBe('warn');
    expect(gapAt('2026-12-01T11:49:59.000Z')).toBe('fail');
    expect(gapAt(null)).toBe('unknown');
  });

  it('freshness warns past the limit and fails past twice it', () => {
    const freshnessAt = (iso: string) =>
      checkMember(CONTRACT, RULES, member({ lastHarvestedAt: new Date(iso) }), NOW).find(
        (r) => r.check === 'freshness',
      )?.status;

    expect(freshnessAt('2026-12-01T11:50:00.000Z')).toBe('pass');
    expect(freshnessAt('2026-12-01T11:45:00.000Z')).toBe('warn');
    expect(freshnessAt('2026-12-01T11:39:59.000Z')).toBe('fail');
  });

  it('open breach fails the contract check', () => {
    const input = { ...member(), openBreaches: ['unit-changed temperature'] };
    const contract = checkMember(CONTRACT, RULES, input, NOW).find((r) => r.check === 'contract');

    expect(contract).toEqual({
      check: 'contract',
      datasetPid: PID,
      field: null,
      status: 'fail',
      evidence: 'open contract breaches: unit-changed temperature',
    });
  });

  it('withdrawn dataset fails availability only', () => {
    expect(checkMember(CONTRACT, RULES, member({ status: 'withdrawn' }), NOW)).toEqual([
      {
        check: 'availability',
        datasetPid: PID,
        field: null,
        status: 'fail',
        evidence: 'the dataset is withdrawn from the catalog',
      },
    ]);
  });

  it('rules without limits run no rate or freshness check', () => {
    const rules: QualityRules = {
      maxHarvestAgeSeconds: null,
      minMessagesPerMinute: null,
      maxMessagesPerMinute: null,
    };
    const checks = checkMember({ fields: [], samplingIntervalSeconds: null }, rules, member(), NOW);

    expect(checks).toEqual([]);
  });

  it('worst status orders fail, warn, unknown, pass', () => {
    expect(worstStatus([])).toBe('unknown');
    expect(worstStatus(['pass', 'pass'])).toBe('pass');
    expect(worstStatus(['pass', 'unknown'])).toBe('unknown');
    expect(worstStatus(['unknown', 'warn', 'pass'])).toBe('warn');
    expect(worstStatus(['warn', 'fail', 'unknown'])).toBe('fail');
  });
});
