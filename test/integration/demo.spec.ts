import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freeLoopbackPort } from '../support/ports';

// Runs the README's demo end to end as a user would. The compiled demo starts
// its own Mosquitto, InfluxDB, PostgreSQL and OPC UA server on loopback,
// harvests them with Weft on PGlite, and stops after the first harvest. It
// needs the Debian packages that scripts/test-env/up.sh installs.

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '../..');

describe('demo command', () => {
  let folder: string;
  let output: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'weft-demo-test-'));
    await execFileAsync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
      },
    );
    const port = await freeLoopbackPort();
    const result = await execFileAsync(
      process.execPath,
      ['dist/scripts/demo/run-demo.js', '--once', '--port', String(port), '--dir', folder],
      { cwd: root, timeout: 300_000, maxBuffer: 16 * 1024 * 1024, env: demoEnvironment() },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(
        `demo failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
      );
    });
    output = result.stdout;
  }, 420_000);

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('harvests every demo source', () => {
    const runs = output
      .split('\n')
      .filter((line) => /^ {4}\S+ +(succeeded|failed|partial)/.test(line))
      .map((line) => line.trim().split(/\s+/).slice(0, 3).join(' '));

    expect(runs).toEqual([
      'bioreactor-plc succeeded 4',
      'lab-postgres succeeded 3',
      'machinery-model succeeded 1',
      'site-broker succeeded 45',
      'site-influxdb succeeded 5',
    ]);
  });

  it('writes the lab tables', () => {
    expect(output).toMatch(/lab, 4 assets, 4 batches, 12 samples\n/);
  });

  it('keeps the catalog in the given folder', () => {
    expect(output).toContain('Catalog home page:');
    expect(existsSync(path.join(folder, 'catalog'))).toBe(true);
  });
});

/** Builds the demo's environment: this process's, without the WEFT_ settings of the tests. */
function demoEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('WEFT_') || name === 'WEFT_CORPUS_DIR') {
      environment[name] = value;
    }
  }
  return environment;
}
