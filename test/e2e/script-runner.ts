import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');

export interface ScriptRun {
  status: number | null;
  output: string;
}

export type CheckResult = 'ok' | 'FAILED' | 'missing';

/**
 * Runs a bash script of the repository with its output shown live (through
 * tee, so that a long CI run shows progress) and kept in a log file under
 * .cache/e2e-logs for the assertions and for reading after a failure.
 */
export function runScript(
  script: string,
  args: string[],
  logName: string,
  env: NodeJS.ProcessEnv = {},
): ScriptRun {
  const logFile = join(repoRoot, '.cache', 'e2e-logs', `${logName}.log`);
  mkdirSync(dirname(logFile), { recursive: true });

  const result = spawnSync(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      'bash "$0" "$@" 2>&1 | tee "$WEFT_SCRIPT_LOG" >&2',
      join(repoRoot, script),
      ...args,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, WEFT_SCRIPT_LOG: logFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );

  let output = '';
  try {
    output = readFileSync(logFile, 'utf8');
  } catch {
    output = `no log written to ${logFile}: ${String(result.error ?? 'the script did not start')}`;
  }
  return { status: result.status, output };
}

/**
 * Finds the outcome of one named check in the output of check-stack.sh,
 * proxmox-provider.sh or scripts/e2e/run.sh: "ok     NAME" or "FAILED NAME"
 * on a line of its own, or "missing" when the script stopped before it.
 */
export function checkResult(output: string, name: string): CheckResult {
  const lines = output.split('\n');
  if (lines.includes(`FAILED ${name}`)) {
    return 'FAILED';
  }
  if (lines.includes(`ok     ${name}`)) {
    return 'ok';
  }
  return 'missing';
}

/** The last lines of a script's output, for a failure message. */
export function tail(output: string, count = 40): string {
  return output.split('\n').slice(-count).join('\n');
}

/** Fails with the end of the output when the named check did not pass. */
export function expectCheckPassed(run: ScriptRun, name: string): void {
  const result = checkResult(run.output, name);
  if (result !== 'ok') {
    throw new Error(`check "${name}" is ${result}; last lines of the output:\n${tail(run.output)}`);
  }
}
