import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { runScript } from './script-runner';

const repoRoot = resolve(__dirname, '..', '..');
const checker = join(repoRoot, 'ansible', 'tools', 'check-argument-specs.py');
const lockFile = join(repoRoot, 'ansible', 'vars', 'versions.lock.yml');

function runChecker(rolesDir?: string): { status: number | null; output: string } {
  const args = rolesDir === undefined ? [checker] : [checker, rolesDir, lockFile];
  const result = spawnSync('python3', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function writeRole(root: string, defaults: string, specs: string): void {
  const role = join(root, 'demo');
  mkdirSync(join(role, 'tasks'), { recursive: true });
  mkdirSync(join(role, 'defaults'));
  mkdirSync(join(role, 'meta'));
  writeFileSync(join(role, 'tasks', 'main.yml'), '---\n[]\n');
  writeFileSync(join(role, 'defaults', 'main.yml'), defaults);
  writeFileSync(join(role, 'meta', 'argument_specs.yml'), specs);
}

describe('ansible collection lint', () => {
  // ansible/tools/lint.sh installs the pinned ansible-lint and yamllint into
  // .cache/ansible-lint-venv on its first run (a minute or two).
  it(
    'ansible-lint passes with the production profile',
    () => {
      const run = runScript('ansible/tools/lint.sh', ['ansible-lint'], 'ansible-lint');

      expect(run.output).toMatch(/Passed: 0 failure\(s\), 0 warning\(s\) in \d+ files processed/);
      expect(run.output).toContain("Profile 'production' was required, and it passed.");
      expect(run.status).toBe(0);
    },
    20 * 60 * 1000,
  );

  it(
    'yamllint passes in strict mode',
    () => {
      const run = runScript('ansible/tools/lint.sh', ['yamllint'], 'yamllint');

      // yamllint prints "LINE:COLUMN  level  message" for each problem.
      const problems = run.output
        .split('\n')
        .filter((line) => /^\s+\d+:\d+\s+(error|warning)\s/.test(line));
      expect(problems).toEqual([]);
      expect(run.status).toBe(0);
    },
    10 * 60 * 1000,
  );
});

describe('ansible collection argument specs', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'weft-argspecs-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('argument specs agree with defaults', () => {
    const result = runChecker();

    expect(result.output).toMatch(/checked \d+ roles: 0 problems/);
    expect(result.status).toBe(0);
  });

  it('checker reports a default missing from the specs', () => {
    writeRole(
      scratch,
      '---\ndemo_port: 8080\ndemo_host: localhost\n',
      '---\nargument_specs:\n  main:\n    options:\n      demo_port: {type: int, description: Port., default: 8080}\n',
    );

    const result = runChecker(scratch);

    expect(result.output).toContain(
      'demo: demo_host is in defaults/main.yml but not in meta/argument_specs.yml',
    );
    expect(result.status).toBe(1);
  });

  it('checker reports differing default values', () => {
    writeRole(
      scratch,
      '---\ndemo_port: 8080\n',
      '---\nargument_specs:\n  main:\n    options:\n      demo_port: {type: int, description: Port., default: 9090}\n',
    );

    const result = runChecker(scratch);

    expect(result.output).toContain(
      'demo: demo_port defaults to 8080 in defaults/main.yml but 9090 in meta/argument_specs.yml',
    );
    expect(result.status).toBe(1);
  });
});
