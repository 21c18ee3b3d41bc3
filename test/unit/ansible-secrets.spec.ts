import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');

// The secrets role's filter, run by the Python that Ansible uses.
describe('generated site secrets', () => {
  const filterDir = join(repoRoot, 'ansible', 'roles', 'secrets', 'filter_plugins');

  function fill(
    existing: object,
    required: object,
    length: number,
  ): Record<string, Record<string, string>> {
    const program = [
      'import json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'from weft_secrets import weft_secrets_fill',
      'print(json.dumps(weft_secrets_fill(json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]))))',
    ].join('\n');
    const result = spawnSync(
      'python3',
      [
        '-c',
        program,
        filterDir,
        JSON.stringify(existing),
        JSON.stringify(required),
        String(length),
      ],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as Record<string, Record<string, string>>;
  }

  it('keeps existing, fills missing', () => {
    const secrets = fill(
      { mqtt: { weft: 'kept-Value-1' } },
      { mqtt: ['weft', 'device'], n8n: ['owner'] },
      24,
    );

    expect(secrets.mqtt.weft).toBe('kept-Value-1');
    expect(secrets.mqtt.device).toHaveLength(24);
    expect(secrets.n8n.owner).toHaveLength(24);
    expect(secrets.mqtt.device).not.toBe(secrets.n8n.owner);
  });

  // Short values make a missing class likely (about one in eight lacks a digit
  // at 12 characters), so 300 of them exercise the retry.
  it('values contain all three classes', () => {
    const names = Array.from({ length: 300 }, (_, index) => `s${index}`);
    const values = Object.values(fill({}, { site: names }, 12).site);

    expect(values).toHaveLength(300);
    const weak = values.filter(
      (value) => !/[0-9]/.test(value) || !/[A-Z]/.test(value) || !/[a-z]/.test(value),
    );
    expect(weak).toEqual([]);
    expect(values.every((value) => /^[A-Za-z0-9_-]{12}$/.test(value))).toBe(true);
  });
});
